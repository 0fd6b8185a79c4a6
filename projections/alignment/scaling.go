package alignment

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/projections"
)

// ScalingMethod says how Scale places actors on a line, as answers and
// the README state it.
const ScalingMethod = "classical (Torgerson) multidimensional scaling, one dimension: " +
	"d(i,j) = 1 − the measure between i and j over the roll calls both voted on (1 for a pair without one); " +
	"B = −½ J D² J (D² the squared distances, J = I − 11ᵀ/n, double centring); " +
	"position(i) = √λ₁ · u₁(i), λ₁ and u₁ the largest eigenvalue of B and its unit eigenvector, " +
	"found by power iteration from B's column of the actor farthest from the centre; " +
	"the sign puts the United States on the positive side (without it, the first actor of the record)"

// DefaultMinRollCalls is the number of roll calls an actor needs in the
// table to be placed by Scale when no other minimum is given.
const DefaultMinRollCalls = 10

// ScalePosition is an actor's place on the line and the roll calls it
// voted on in the table.
type ScalePosition struct {
	Actor    events.Country `json:"actor"`
	Position float64        `json:"position"`
	N        int            `json:"n"`
}

// Scaling is the one-dimensional position of every actor that voted on
// enough of a table's roll calls.
type Scaling struct {
	Method       string  `json:"method"`
	Measure      Measure `json:"measure"`
	RollCalls    int     `json:"roll_calls"`
	MinRollCalls int     `json:"min_roll_calls"`
	// Anchor is the actor whose position is made positive (the sign of
	// an eigenvector is arbitrary).
	Anchor events.Country `json:"anchor,omitzero"`
	// Eigenvalue is λ₁; Explained is λ₁ over the trace of B, the share
	// of the (squared, centred) distances the line accounts for.
	Eigenvalue float64 `json:"eigenvalue"`
	Explained  float64 `json:"explained"`
	// Positions, from the most positive to the most negative (ties by
	// actor code).
	Positions []ScalePosition `json:"positions"`
	// LeftOut are the actors that voted on fewer than MinRollCalls
	// roll calls, with their count.
	LeftOut []LeftOut `json:"left_out"`
}

// LeftOut is an actor Scale did not place, and the roll calls it voted
// on.
type LeftOut struct {
	Actor events.Country `json:"actor"`
	N     int            `json:"n"`
}

// Position returns an actor's place, and false when it was not placed.
func (s Scaling) Position(a events.Country) (ScalePosition, bool) {
	for _, p := range s.Positions {
		if p.Actor == a {
			return p, true
		}
	}
	return ScalePosition{}, false
}

// signAnchor is the actor Scale makes positive when it is placed.
var signAnchor = events.MustCountry("US")

// Scale places the actors of a table on one dimension by ScalingMethod,
// under measure m. Actors that voted on fewer than minRollCalls of the
// table's roll calls are left out (listed in LeftOut); minRollCalls ≤ 0
// means DefaultMinRollCalls. Pure and deterministic: the same table
// gives the same positions, bit for bit.
func Scale(t projections.VoteTable, m Measure, minRollCalls int) Scaling {
	if minRollCalls <= 0 {
		minRollCalls = DefaultMinRollCalls
	}
	out := Scaling{Method: ScalingMethod, Measure: m, RollCalls: len(t.RollCalls), MinRollCalls: minRollCalls,
		Positions: []ScalePosition{}, LeftOut: []LeftOut{}}
	idx, sum, cnt := pairSums(t, m)
	all := len(idx)
	// The roll calls each actor voted on: a vote at all, whatever the
	// measure counts.
	voted := make([]int, all)
	for k, i := range idx {
		for _, rc := range t.RollCalls {
			if rc.Vote(i) != projections.NotVoting {
				voted[k]++
			}
		}
	}
	var keep []int // positions in idx of the actors placed
	for k := range idx {
		if voted[k] >= minRollCalls {
			keep = append(keep, k)
		} else {
			out.LeftOut = append(out.LeftOut, LeftOut{Actor: t.Actors[idx[k]], N: voted[k]})
		}
	}
	slices.SortFunc(out.LeftOut, func(x, y LeftOut) int { return strings.Compare(x.Actor.String(), y.Actor.String()) })
	n := len(keep)
	if n == 0 {
		return out
	}
	// Squared distances, then double centring.
	d2 := make([]float64, n*n)
	for r, a := range keep {
		for c, b := range keep {
			d := 1.0
			if k := a*all + b; cnt[k] > 0 {
				d = 1 - sum[k]/float64(cnt[k])
			}
			d2[r*n+c] = d * d
		}
	}
	rowMean := make([]float64, n)
	var grand float64
	for r := range n {
		var s float64
		for c := range n {
			s += d2[r*n+c]
		}
		rowMean[r] = s / float64(n)
		grand += s
	}
	grand /= float64(n * n)
	b := make([]float64, n*n)
	var trace float64
	for r := range n {
		for c := range n {
			b[r*n+c] = -0.5 * (d2[r*n+c] - rowMean[r] - rowMean[c] + grand)
		}
		trace += b[r*n+r]
	}
	lambda, u := leadingEigen(b, n)
	scale := math.Sqrt(max(lambda, 0))
	pos := make([]float64, n)
	for r := range n {
		pos[r] = scale * u[r]
	}
	// Fix the sign: the anchor positive, or without it the first actor
	// of the table with a non-zero position.
	flip := false
	anchored := false
	for r, k := range keep {
		if t.Actors[idx[k]] == signAnchor && pos[r] != 0 {
			flip, anchored = pos[r] < 0, true
			out.Anchor = signAnchor
			break
		}
	}
	if !anchored {
		for r, k := range keep {
			if pos[r] != 0 {
				flip = pos[r] < 0
				out.Anchor = t.Actors[idx[k]]
				break
			}
		}
	}
	for r, k := range keep {
		p := pos[r]
		if flip {
			p = -p
		}
		out.Positions = append(out.Positions, ScalePosition{Actor: t.Actors[idx[k]], Position: round4(p), N: voted[k]})
	}
	slices.SortStableFunc(out.Positions, func(x, y ScalePosition) int {
		if c := cmp.Compare(y.Position, x.Position); c != 0 {
			return c
		}
		return strings.Compare(x.Actor.String(), y.Actor.String())
	})
	out.Eigenvalue = round4(lambda)
	if trace > 0 {
		out.Explained = round4(lambda / trace)
	}
	return out
}

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

// leadingEigen returns the largest eigenvalue of the symmetric n×n
// matrix b (row-major) and a unit eigenvector, by power iteration from
// the column of b with the largest diagonal entry. When the iteration
// lands on a negative eigenvalue larger in size (a non-Euclidean
// distance can give one), it iterates again on b + sI, s a bound on
// every eigenvalue's size (Gershgorin), whose largest eigenvalue is b's
// largest plus s.
func leadingEigen(b []float64, n int) (float64, []float64) {
	start := 0
	for r := range n {
		if b[r*n+r] > b[start*n+start] {
			start = r
		}
	}
	v0 := make([]float64, n)
	for r := range n {
		v0[r] = b[r*n+start]
	}
	if norm(v0) == 0 { // every actor at the centre
		v0[start] = 1
		return 0, v0
	}
	lambda, v := powerIterate(b, n, v0, 0)
	if lambda > 0 {
		return lambda, v
	}
	var s float64
	for r := range n {
		var row float64
		for c := range n {
			row += math.Abs(b[r*n+c])
		}
		s = max(s, row)
	}
	lambda, v = powerIterate(b, n, v0, s)
	return lambda - s, v
}

// powerIterate iterates v ← (b + shift·I)v / ‖…‖ until v moves less than
// 1e-12 (or 10,000 steps), and returns the Rayleigh quotient and v.
func powerIterate(b []float64, n int, v0 []float64, shift float64) (float64, []float64) {
	v := slices.Clone(v0)
	scaleBy(v, 1/norm(v))
	w := make([]float64, n)
	var lambda float64
	for range 10_000 {
		for r := range n {
			s := shift * v[r]
			row := b[r*n : r*n+n]
			for c, x := range row {
				s += x * v[c]
			}
			w[r] = s
		}
		lambda = dot(v, w)
		l := norm(w)
		if l == 0 {
			return 0, v
		}
		scaleBy(w, 1/l)
		var diff float64
		for r := range n {
			diff = max(diff, math.Abs(w[r]-v[r]))
		}
		v, w = w, v
		if diff < 1e-12 {
			break
		}
	}
	return lambda, v
}

func dot(x, y []float64) float64 {
	var s float64
	for i := range x {
		s += x[i] * y[i]
	}
	return s
}

func norm(x []float64) float64 { return math.Sqrt(dot(x, x)) }

func scaleBy(x []float64, f float64) {
	for i := range x {
		x[i] *= f
	}
}
