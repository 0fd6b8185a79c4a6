package alignment

import (
	"math"
	"slices"
	"strings"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/projections"
)

// Ordering says how a Matrix orders its actors, as answers state it.
const Ordering = "average-linkage (UPGMA) hierarchical clustering on the distance 1 − value (1 for pairs without a shared roll call), " +
	"leaves in dendrogram order, the larger cluster of each merge first; ties broken by the actors' codes"

// Matrix is the measure between every pair of the actors that voted in a
// table, in an order that puts blocs together.
type Matrix struct {
	Measure   Measure          `json:"measure"`
	Ordering  string           `json:"ordering"`
	RollCalls int              `json:"roll_calls"`
	Actors    []events.Country `json:"actors"`
	// Values[i][j] is the measure between Actors[i] and Actors[j] (null
	// without a shared roll call); N[i][j] the roll calls behind it. The
	// diagonal is each actor with itself: 1, over the roll calls it
	// voted on.
	Values [][]*float64 `json:"values"`
	N      [][]int      `json:"n"`
}

// Cell returns the figure of a pair, by actor.
func (m Matrix) Cell(a, b events.Country) Figure {
	i, j := -1, -1
	for k, c := range m.Actors {
		if c == a {
			i = k
		}
		if c == b {
			j = k
		}
	}
	if i < 0 || j < 0 || m.Values[i][j] == nil {
		return Figure{Value: math.NaN()}
	}
	return Figure{Value: *m.Values[i][j], N: m.N[i][j]}
}

// scoreTable holds Measure.Score for every pair of votes.
type scoreTable struct {
	score [4][4]float64
	ok    [4][4]bool
}

func (m Measure) table() scoreTable {
	var t scoreTable
	for a := range projections.Vote(4) {
		for b := range projections.Vote(4) {
			t.score[a][b], t.ok[a][b] = m.Score(a, b)
		}
	}
	return t
}

// pairSums sums the measure over every pair of the actors that voted on
// at least one roll call of a table: idx holds the table index of each
// such actor, sum[a*n+b] the scores of the pair and cnt[a*n+b] the roll
// calls behind them (both halves filled; the diagonal is each actor with
// itself).
func pairSums(t projections.VoteTable, m Measure) (idx []int, sum []float64, cnt []int) {
	present := make([]bool, len(t.Actors))
	for _, rc := range t.RollCalls {
		for i, v := range rc.Votes {
			if v != projections.NotVoting {
				present[i] = true
			}
		}
	}
	for i, p := range present {
		if p {
			idx = append(idx, i)
		}
	}
	n := len(idx)
	pos := make([]int, len(t.Actors))
	for k := range pos {
		pos[k] = -1
	}
	for k, i := range idx {
		pos[i] = k
	}
	half := make([]float64, n*n)
	halfN := make([]int32, n*n)
	st := m.table()
	row := make([]projections.Vote, n)
	voters := make([]int, 0, n)
	for _, rc := range t.RollCalls {
		clear(row)
		voters = voters[:0]
		for i, v := range rc.Votes {
			if v != projections.NotVoting {
				row[pos[i]] = v
				voters = append(voters, pos[i])
			}
		}
		for x, a := range voters {
			va := row[a]
			base := a * n
			for _, b := range voters[x:] {
				vb := row[b]
				if st.ok[va][vb] {
					half[base+b] += st.score[va][vb]
					halfN[base+b]++
				}
			}
		}
	}
	// Fill both halves (voters are in table order, so a ≤ b held above
	// only per roll call: fold the lower half into the upper).
	sum = make([]float64, n*n)
	cnt = make([]int, n*n)
	for a := range n {
		for b := range n {
			i, j := min(a, b), max(a, b)
			s, c := half[i*n+j], halfN[i*n+j]
			if a != b {
				s += half[j*n+i]
				c += halfN[j*n+i]
			}
			sum[a*n+b], cnt[a*n+b] = s, int(c)
		}
	}
	return idx, sum, cnt
}

// PairMatrix computes the matrix of a table: every pair of the actors
// that voted on at least one of its roll calls, ordered by Ordering.
func PairMatrix(t projections.VoteTable, m Measure) Matrix {
	idx, full, fullN := pairSums(t, m)
	n := len(idx)
	// Clustered in the order of the actors' codes, so that ties break the
	// same way whatever order the table's actors came in (the state
	// numbers actors as it meets them, which differs between runs).
	byCode := make([]int, n)
	for k := range byCode {
		byCode[k] = k
	}
	slices.SortFunc(byCode, func(a, b int) int { return strings.Compare(t.Actors[idx[a]].String(), t.Actors[idx[b]].String()) })
	dist := make([]float64, n*n)
	for i, a := range byCode {
		for j, b := range byCode {
			if k := a*n + b; fullN[k] > 0 {
				dist[i*n+j] = 1 - full[k]/float64(fullN[k])
			} else {
				dist[i*n+j] = 1
			}
		}
	}
	order := upgma(n, dist)
	for r, i := range order {
		order[r] = byCode[i]
	}
	out := Matrix{Measure: m, Ordering: Ordering, RollCalls: len(t.RollCalls), Actors: make([]events.Country, n),
		Values: make([][]*float64, n), N: make([][]int, n)}
	for r, a := range order {
		out.Actors[r] = t.Actors[idx[a]]
		out.Values[r] = make([]*float64, n)
		out.N[r] = make([]int, n)
		for c, b := range order {
			k := a*n + b
			out.N[r][c] = fullN[k]
			if fullN[k] > 0 {
				v := math.Round(full[k]/float64(fullN[k])*1e4) / 1e4
				out.Values[r][c] = &v
			}
		}
	}
	return out
}

// upgma clusters n items by average linkage on the distance matrix d
// (row-major) and returns the items in dendrogram leaf order.
func upgma(n int, d []float64) []int {
	if n == 0 {
		return []int{}
	}
	type cluster struct {
		leaves []int
		size   int
	}
	clusters := make([]*cluster, n)
	dist := make([]float64, n*n)
	copy(dist, d)
	for i := range n {
		clusters[i] = &cluster{leaves: []int{i}, size: 1}
	}
	alive := n
	for alive > 1 {
		bi, bj, best := -1, -1, math.Inf(1)
		for i := range n {
			if clusters[i] == nil {
				continue
			}
			for j := i + 1; j < n; j++ {
				if clusters[j] == nil {
					continue
				}
				if v := dist[i*n+j]; v < best {
					bi, bj, best = i, j, v
				}
			}
		}
		a, b := clusters[bi], clusters[bj]
		// The bigger (earlier formed) cluster first keeps blocs in
		// reading order.
		merged := &cluster{leaves: append(append([]int{}, a.leaves...), b.leaves...), size: a.size + b.size}
		if b.size > a.size {
			merged.leaves = append(append([]int{}, b.leaves...), a.leaves...)
		}
		for k := range n {
			if clusters[k] == nil || k == bi || k == bj {
				continue
			}
			v := (dist[bi*n+k]*float64(a.size) + dist[bj*n+k]*float64(b.size)) / float64(a.size+b.size)
			dist[bi*n+k], dist[k*n+bi] = v, v
		}
		clusters[bi], clusters[bj] = merged, nil
		alive--
	}
	for _, c := range clusters {
		if c != nil {
			return c.leaves
		}
	}
	return nil
}
