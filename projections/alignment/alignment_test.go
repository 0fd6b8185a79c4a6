package alignment

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/projections"
)

const (
	y = projections.VotedYes
	n = projections.VotedNo
	a = projections.Abstained
	_ = projections.NotVoting
)

// table builds a vote table: actors, then one roll call per row of votes
// ("ynа-" per actor: yes, no, abstain, not voting), dated by days.
func table(t *testing.T, actors string, rows map[string]string) projections.VoteTable {
	t.Helper()
	var vt projections.VoteTable
	for i := 0; i+1 < len(actors); i += 3 {
		vt.Actors = append(vt.Actors, events.MustCountry(actors[i:i+2]))
	}
	days := make([]string, 0, len(rows))
	for d := range rows {
		days = append(days, d)
	}
	slices.Sort(days)
	for k, d := range days {
		rc := &projections.RollCallVotes{Motion: events.MustMotionID("m-" + d), Day: events.MustDate(d), Session: rows[d][len(vt.Actors):]}
		for _, c := range rows[d][:len(vt.Actors)] {
			rc.Votes = append(rc.Votes, map[rune]projections.Vote{'y': y, 'n': n, 'a': a, '-': projections.NotVoting}[c])
		}
		_ = k
		vt.RollCalls = append(vt.RollCalls, rc)
	}
	return vt
}

func near(x, want float64) bool { return math.Abs(x-want) < 1e-9 }

func TestScore(t *testing.T) {
	cases := []struct {
		name       string
		m          Measure
		a, b       projections.Vote
		want       float64
		wantCounts bool
	}{
		{"agreement same yes", Agreement, y, y, 1, true},
		{"agreement same abstain", Agreement, a, a, 1, true},
		{"agreement yes against no", Agreement, y, n, 0, true},
		{"agreement one abstains", Agreement, y, a, 0.5, true},
		{"agreement one absent", Agreement, y, projections.NotVoting, 0, false},
		{"coincidence same no", Coincidence, n, n, 1, true},
		{"coincidence yes against no", Coincidence, n, y, 0, true},
		{"coincidence leaves abstentions out", Coincidence, a, y, 0, false},
		{"coincidence both abstain left out", Coincidence, a, a, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := c.m.Score(c.a, c.b)
			if ok != c.wantCounts || (ok && got != c.want) {
				t.Errorf("Score(%v, %v) = %v, %v; want %v, %v", c.a, c.b, got, ok, c.want, c.wantCounts)
			}
		})
	}
}

// Five roll calls between US and IN, by hand:
//
//	day         US  IN  agreement  coincidence
//	2019-01-01  y   y   1          1
//	2019-02-01  y   n   0          0
//	2019-03-01  y   a   0.5        —
//	2019-04-01  a   a   1          —
//	2019-05-01  n   -   —          —
//
// agreement (1+0+0.5+1)/4 = 0.625 over 4; coincidence (1+0)/2 = 0.5 over 2.
func TestCompareHandComputed(t *testing.T) {
	vt := table(t, "US IN", map[string]string{
		"2019-01-01": "yy", "2019-02-01": "yn", "2019-03-01": "ya", "2019-04-01": "aa", "2019-05-01": "n-",
	})
	us, in := events.MustCountry("US"), events.MustCountry("IN")
	cases := []struct {
		name  string
		m     Measure
		value float64
		n     int
	}{
		{"agreement", Agreement, 0.625, 4},
		{"coincidence", Coincidence, 0.5, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := Compare(vt, in, Reference{Actor: us}, c.m)
			if !near(f.Value, c.value) || f.N != c.n {
				t.Errorf("got %v over %d, want %v over %d", f.Value, f.N, c.value, c.n)
			}
		})
	}
	t.Run("no shared roll call", func(t *testing.T) {
		f := Compare(vt, in, Reference{Actor: events.MustCountry("FR")}, Agreement)
		if f.N != 0 || !math.IsNaN(f.Value) {
			t.Errorf("got %+v, want NaN over 0", f)
		}
		if b, _ := f.MarshalJSON(); string(b) != `{"value":null,"n":0}` {
			t.Errorf("JSON %s", b)
		}
	})
}

func TestBlocPositionTiesAndChangingMembership(t *testing.T) {
	// GB leaves the bloc at the end of 2019-12-31; DE joins 2019-06-01.
	bloc := &Bloc{ID: "test", Members: []Membership{
		{Actor: events.MustCountry("FR")},
		{Actor: events.MustCountry("GB"), To: events.MustDate("2019-12-31")},
		{Actor: events.MustCountry("DE"), From: events.MustDate("2019-06-01")},
	}}
	vt := table(t, "FR GB DE US", map[string]string{
		"2019-01-01": "yyny", // before DE: FR, GB yes → yes
		"2019-02-01": "ynyy", // before DE: FR yes, GB no → tie: no position
		"2019-07-01": "ynny", // all three: no 2 – yes 1 → no
		"2019-08-01": "ya-y", // DE absent: FR yes, GB abstain → tie
		"2020-03-01": "yyny", // GB gone: FR yes, DE no → tie, GB's yes not counted
		"2020-04-01": "ynay", // GB gone: FR yes, DE abstain → tie
		"2020-05-01": "nyny", // GB gone: FR, DE no → no
	})
	want := []projections.Vote{y, projections.NotVoting, n, projections.NotVoting, projections.NotVoting, projections.NotVoting, n}
	idx := indexOf(vt)
	for k, rc := range vt.RollCalls {
		if got := bloc.Position(vt, idx, rc); got != want[k] {
			t.Errorf("%s: position %q, want %q", rc.Day, got, want[k])
		}
	}
	// US votes yes throughout: agreement with the bloc over the three
	// roll calls where it has a position: (1 + 0 + 0) / 3.
	f := Compare(vt, events.MustCountry("US"), Reference{Bloc: bloc}, Agreement)
	if !near(f.Value, 1.0/3) || f.N != 3 {
		t.Errorf("US against the bloc: %v over %d, want 1/3 over 3", f.Value, f.N)
	}
}

func TestShippedBlocs(t *testing.T) {
	bs := NewBlocs()
	cases := []struct {
		bloc string
		day  string
		in   []string
		out  []string
		size int
	}{
		{"eu", "1960-01-01", []string{"FR", "XG"}, []string{"GB", "DE"}, 6},
		{"eu", "2019-06-01", []string{"GB", "DE", "HR"}, []string{"XG"}, 28},
		{"eu", "2020-06-01", []string{"DE"}, []string{"GB"}, 27},
		{"p5", "1960-01-01", []string{"TW", "US"}, []string{"CN"}, 5},
		{"p5", "1980-01-01", []string{"CN"}, []string{"TW"}, 5},
		{"brics", "2009-12-01", []string{"BR", "CN"}, []string{"ZA"}, 4},
		{"brics", "2015-01-01", []string{"ZA"}, []string{"IR"}, 5},
		{"brics", "2024-06-01", []string{"IR", "EG"}, nil, 9},
		{"arab-group", "1980-01-01", []string{"XY", "YD", "EG"}, []string{"YE", "KM"}, 22},
		{"g77", "2010-01-01", []string{"IN", "BR"}, []string{"CN"}, 134},
		{"nam", "2010-01-01", []string{"IN", "CU"}, []string{"BR", "AZ"}, 118},
		{"nam", "2012-01-01", []string{"AZ", "FJ"}, []string{"BR"}, 120},
		{"oic", "2010-01-01", []string{"TR", "PK"}, []string{"IN"}, 57},
	}
	for _, c := range cases {
		t.Run(c.bloc+" "+c.day, func(t *testing.T) {
			b, ok := bs.Get(c.bloc)
			if !ok {
				t.Fatalf("no bloc %s", c.bloc)
			}
			if b.Source == "" {
				t.Errorf("no source")
			}
			m := b.MembersOn(events.MustDate(c.day))
			for _, a := range c.in {
				if !slices.Contains(m, events.MustCountry(a)) {
					t.Errorf("%s not a member", a)
				}
			}
			for _, a := range c.out {
				if slices.Contains(m, events.MustCountry(a)) {
					t.Errorf("%s a member", a)
				}
			}
			if len(m) != c.size {
				t.Errorf("%d members, want %d", len(m), c.size)
			}
		})
	}
}

// TestShippedBlocsDated checks the dated memberships of G77, NAM and OIC:
// joiners, leavers and the states that ended.
func TestShippedBlocsDated(t *testing.T) {
	bs := NewBlocs()
	cases := []struct {
		name string
		bloc string
		day  string
		in   []string
		out  []string
	}{
		{"NAM founders only in 1962", "nam", "1962-06-01", []string{"IN", "YU", "XY", "CY", "MM", "EG"}, []string{"KE", "SG", "JM", "YE", "YD"}},
		{"NAM Lusaka joiners not yet members in 1965", "nam", "1965-06-01", []string{"KE", "ZM"}, []string{"SG", "JM", "MY", "BW"}},
		{"NAM Lusaka joiners members in 1975", "nam", "1975-06-01", []string{"SG", "JM", "MY", "BW", "YD", "AR", "MT"}, []string{"VN", "KP", "VE"}},
		{"Burma out of NAM between 1979 and 1992", "nam", "1985-06-01", []string{"IN", "ZW"}, []string{"MM"}},
		{"Burma back in NAM after Jakarta", "nam", "1993-06-01", []string{"MM"}, nil},
		{"Argentina in NAM in 1990", "nam", "1990-12-01", []string{"AR", "YE"}, []string{"XY", "YD"}},
		{"Argentina out of NAM after 1991", "nam", "1992-01-01", []string{"IN"}, []string{"AR"}},
		{"Yugoslavia suspended from NAM", "nam", "1992-06-01", nil, []string{"YU"}},
		{"Cyprus and Malta in NAM before EU accession", "nam", "2004-04-30", []string{"CY", "MT"}, nil},
		{"Cyprus and Malta out of NAM after 2004", "nam", "2004-05-01", []string{"IN"}, []string{"CY", "MT"}},
		{"the two Yemens in NAM in 1980", "nam", "1980-06-01", []string{"XY", "YD"}, []string{"YE"}},
		{"the two Yemens in G77 until unification", "g77", "1990-05-21", []string{"XY", "YD"}, []string{"YE"}},
		{"Yemen in G77 from unification", "g77", "1990-05-22", []string{"YE"}, []string{"XY", "YD"}},
		{"G77 founders and leavers in 1980", "g77", "1980-06-01", []string{"MX", "KR", "YU", "CY", "CU"}, []string{"ZA", "YE"}},
		{"Cuba not a G77 founder", "g77", "1965-06-01", []string{"BR", "IN"}, []string{"CU", "ZA"}},
		{"Mexico and Korea out of G77 after OECD accession", "g77", "1997-06-01", []string{"ZA", "BR"}, []string{"MX", "KR", "YU"}},
		{"Cyprus and Malta out of G77 after 2004", "g77", "2004-05-01", nil, []string{"CY", "MT"}},
		{"Syria joins NAM at Cairo, not Belgrade", "nam", "1962-06-01", nil, []string{"SY"}},
		{"Syria in NAM after Cairo", "nam", "1965-06-01", []string{"SY"}, nil},
		{"North Korea in NAM from Lima 1975", "nam", "1975-09-01", []string{"KP"}, []string{"VN", "BZ"}},
		{"Chile in NAM from 1971", "nam", "1971-06-01", []string{"CL"}, []string{"PE"}},
		{"Argentina out of NAM from 19 September 1991", "nam", "1991-09-19", nil, []string{"AR"}},
		{"South Sudan in NAM from Kampala", "nam", "2024-01-15", []string{"SS"}, nil},
		{"South Sudan not in NAM before Kampala", "nam", "2023-06-01", nil, []string{"SS"}},
		{"Malta and Romania join the G77 in 1976", "g77", "1976-06-01", []string{"MT", "RO"}, nil},
		{"Malta and Romania not G77 founders", "g77", "1970-06-01", nil, []string{"MT", "RO"}},
		{"Romania out of G77 on EU accession", "g77", "2007-01-01", nil, []string{"RO"}},
		{"Bosnia off the G77 list from February 2020", "g77", "2020-02-01", []string{"IN"}, []string{"BA"}},
		{"OIC founders in 1970", "oic", "1970-06-01", []string{"SA", "PK", "TR", "XY", "YD"}, []string{"BD", "AE", "NG", "AL", "YE"}},
		{"OIC Lahore joiners from 1974", "oic", "1974-06-01", []string{"BD", "UG", "AE"}, []string{"NG"}},
		{"OIC after the Soviet Union", "oic", "2000-06-01", []string{"AZ", "KZ", "AL", "YE"}, []string{"CI", "XY"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, ok := bs.Get(c.bloc)
			if !ok {
				t.Fatalf("no bloc %s", c.bloc)
			}
			m := b.MembersOn(events.MustDate(c.day))
			for _, a := range c.in {
				if !slices.Contains(m, events.MustCountry(a)) {
					t.Errorf("%s: %s not a member on %s", c.bloc, a, c.day)
				}
			}
			for _, a := range c.out {
				if slices.Contains(m, events.MustCountry(a)) {
					t.Errorf("%s: %s a member on %s", c.bloc, a, c.day)
				}
			}
		})
	}
	t.Run("counts", func(t *testing.T) {
		for _, c := range []struct {
			bloc string
			day  string
			n    int
		}{
			{"nam", "1961-09-01", 25},  // the 25 of Belgrade (Syria, then in the UAR, joins at Cairo 1964)
			{"nam", "2024-06-01", 121}, // Wikipedia's 121 members, South Sudan the last
			{"g77", "1964-06-15", 137}, // everyone dated from the founding: founders and later members without a joining date (not Malta, from 1976)
			{"oic", "1969-09-25", 25},
			{"oic", "2024-01-01", 57},
		} {
			b, _ := bs.Get(c.bloc)
			if got := len(b.MembersOn(events.MustDate(c.day))); got != c.n {
				t.Errorf("%s on %s: %d members, want %d", c.bloc, c.day, got, c.n)
			}
		}
	})
}

func TestParseBlocs(t *testing.T) {
	bl, err := ParseBlocs([]byte(`[{"id":"quad","name":"Quad","members":["US","JP","IN",{"actor":"Australia","from":"2007-05-25"}]}]`))
	if err != nil {
		t.Fatal(err)
	}
	if len(bl) != 1 || len(bl[0].Members) != 4 || bl[0].Members[3].Actor != events.MustCountry("AU") || !bl[0].User {
		t.Errorf("got %+v", bl)
	}
	if _, err := ParseBlocs([]byte(`[{"id":"Bad Id","members":["XX"]}]`)); err == nil {
		t.Error("a bad id and a bad actor passed")
	}
	ref, err := NewBlocs(bl...).Reference("quad")
	if err != nil || ref.Bloc == nil || ref.Bloc.ID != "quad" {
		t.Errorf("Reference(quad) = %+v, %v", ref, err)
	}
	if ref, err := NewBlocs().Reference("US"); err != nil || ref.Actor != events.MustCountry("US") {
		t.Errorf("Reference(US) = %+v, %v", ref, err)
	}
}

func TestSeriesByYearAndSession(t *testing.T) {
	vt := table(t, "US IN", map[string]string{
		"2018-10-01": "yy73", "2018-12-01": "yn73", "2019-02-01": "ya73", "2019-11-01": "aa74", "2020-01-01": "nn74",
	})
	us, in := events.MustCountry("US"), events.MustCountry("IN")
	got := Series(vt, in, Reference{Actor: us}, Agreement, ByYear)
	want := []Point{
		{Period: "2018", From: events.MustDate("2018-10-01"), To: events.MustDate("2018-12-01"), Figure: Figure{0.5, 2}},
		{Period: "2019", From: events.MustDate("2019-02-01"), To: events.MustDate("2019-11-01"), Figure: Figure{0.75, 2}},
		{Period: "2020", From: events.MustDate("2020-01-01"), To: events.MustDate("2020-01-01"), Figure: Figure{1, 1}},
	}
	if !slices.Equal(got, want) {
		t.Errorf("by year:\n got %+v\nwant %+v", got, want)
	}
	got = Series(vt, in, Reference{Actor: us}, Agreement, BySession)
	if len(got) != 2 || got[0].Period != "73" || !near(got[0].Value, 0.5) || got[0].N != 3 || got[1].Period != "74" || got[1].N != 2 {
		t.Errorf("by session: %+v", got)
	}
}

func TestDivergentMostContestedFirst(t *testing.T) {
	// Five actors; US and IN part on three roll calls with tallies
	// 4-1-0 (margin 0.6), 2-2-1 (0) and 2-1-2 (0.2).
	vt := table(t, "US IN FR GB RU", map[string]string{
		"2019-01-01": "ynyyy", "2019-02-01": "yaynn", "2019-03-01": "yayan", "2019-04-01": "yyyyy",
	})
	got := Divergent(vt, events.MustCountry("US"), Reference{Actor: events.MustCountry("IN")}, Agreement, 0)
	var days []string
	for _, d := range got {
		days = append(days, d.Date.String())
	}
	if want := []string{"2019-02-01", "2019-03-01", "2019-01-01"}; !slices.Equal(days, want) {
		t.Errorf("order %v, want %v (%+v)", days, want, got)
	}
	if got[0].Margin != 0 || got[0].Actor != "yes" || got[0].With != "abstain" || got[0].Score != 0.5 {
		t.Errorf("first: %+v", got[0])
	}
}

// TestSharedEveryRollCallBehindTheFigure: Shared lists the roll calls a
// figure is made of, no more and no fewer, the parted ones first in
// Divergent's order, then the agreed ones most contested first.
func TestSharedEveryRollCallBehindTheFigure(t *testing.T) {
	// US and IN part on 01-01 (4-1-0, margin 0.6), 02-01 (2-2-1, 0) and
	// 03-01 (2-1-2, 0.2, IN abstains on both); they agree on 04-01
	// (5-0-0, 1) and 05-01 (3-2-0, 0.2); IN is absent on 06-01.
	vt := table(t, "US IN FR GB RU", map[string]string{
		"2019-01-01": "ynyyy", "2019-02-01": "yaynn", "2019-03-01": "yayan", "2019-04-01": "yyyyy", "2019-05-01": "yyynn", "2019-06-01": "y-yyy",
	})
	us, in := events.MustCountry("US"), events.MustCountry("IN")
	two := &Bloc{ID: "two", Members: []Membership{{Actor: in}, {Actor: events.MustCountry("FR")}}}
	for _, c := range []struct {
		name   string
		ref    Reference
		m      Measure
		days   []string
		scores []float64
	}{
		{"agreement: parted first, then agreed", Reference{Actor: in}, Agreement,
			[]string{"2019-02-01", "2019-03-01", "2019-01-01", "2019-05-01", "2019-04-01"}, []float64{0.5, 0.5, 0, 1, 1}},
		{"coincidence leaves the abstentions out", Reference{Actor: in}, Coincidence,
			[]string{"2019-01-01", "2019-05-01", "2019-04-01"}, []float64{0, 1, 1}},
		// The bloc IN+FR has a position only where its two agree (a tie
		// gives none): 04-01 and 05-01 yes, 06-01 FR alone yes.
		{"against a bloc, its position's roll calls", Reference{Bloc: two}, Agreement,
			[]string{"2019-05-01", "2019-06-01", "2019-04-01"}, []float64{1, 1, 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Shared(vt, us, c.ref, c.m)
			var days []string
			var scores []float64
			sum := 0.0
			for _, d := range got {
				days, scores = append(days, d.Date.String()), append(scores, d.Score)
				sum += d.Score
			}
			if !slices.Equal(days, c.days) || !slices.Equal(scores, c.scores) {
				t.Errorf("roll calls %v scored %v, want %v scored %v", days, scores, c.days, c.scores)
			}
			f := Compare(vt, us, c.ref, c.m)
			if f.N != len(got) || !near(f.Value, sum/float64(len(got))) {
				t.Errorf("Compare says %.4f over %d; the roll calls listed make %.4f over %d", f.Value, f.N, sum/float64(len(got)), len(got))
			}
			div := Divergent(vt, us, c.ref, c.m, 0)
			if parted := slices.IndexFunc(got, func(d Divergence) bool { return d.Score == 1 }); parted >= 0 && !slices.Equal(div, got[:parted]) {
				t.Errorf("Divergent %+v, want Shared's parted roll calls %+v", div, got[:parted])
			}
		})
	}
}

func TestPairMatrixOrdersBlocs(t *testing.T) {
	// Two camps: {US, IL, GB} always yes, {CU, KP, IR} always no, and
	// FR with the first camp but for one roll call.
	vt := table(t, "US CU IL KP GB IR FR", map[string]string{
		"2019-01-01": "ynynyny", "2019-02-01": "ynynyny", "2019-03-01": "ynynynn", "2019-04-01": "ynynyny",
	})
	m := PairMatrix(vt, Agreement)
	pos := map[string]int{}
	for i, a := range m.Actors {
		pos[a.String()] = i
	}
	camp := func(cs ...string) (lo, hi int) {
		lo, hi = len(m.Actors), -1
		for _, c := range cs {
			lo, hi = min(lo, pos[c]), max(hi, pos[c])
		}
		return
	}
	if lo, hi := camp("US", "IL", "GB", "FR"); hi-lo != 3 {
		t.Errorf("the first camp is not contiguous: %v", m.Actors)
	}
	if lo, hi := camp("CU", "KP", "IR"); hi-lo != 2 {
		t.Errorf("the second camp is not contiguous: %v", m.Actors)
	}
	if f := m.Cell(events.MustCountry("FR"), events.MustCountry("US")); !near(f.Value, 0.75) || f.N != 4 {
		t.Errorf("FR–US %+v, want 0.75 over 4", f)
	}
	if f := m.Cell(events.MustCountry("US"), events.MustCountry("FR")); !near(f.Value, 0.75) || f.N != 4 {
		t.Errorf("US–FR %+v, want 0.75 over 4 (symmetric)", f)
	}
	if f := m.Cell(events.MustCountry("CU"), events.MustCountry("US")); f.Value != 0 || f.N != 4 {
		t.Errorf("CU–US %+v", f)
	}
	if m.RollCalls != 4 || len(m.Actors) != 7 {
		t.Errorf("%d roll calls, %d actors", m.RollCalls, len(m.Actors))
	}
}

// TestMatrixOrderIgnoresActorNumbering: the state numbers actors in the
// order it meets them, which differs between runs; the matrix's order,
// ties included, does not.
func TestMatrixOrderIgnoresActorNumbering(t *testing.T) {
	codes := []string{"US", "FR", "GB", "CN", "RU", "IN"}
	votes := map[string][]projections.Vote{ // three camps, each of two identical voters: ties everywhere
		"US": {projections.VotedYes, projections.VotedYes, projections.VotedNo},
		"GB": {projections.VotedYes, projections.VotedYes, projections.VotedNo},
		"FR": {projections.VotedYes, projections.Abstained, projections.VotedNo},
		"IN": {projections.VotedYes, projections.Abstained, projections.VotedNo},
		"CN": {projections.VotedNo, projections.Abstained, projections.VotedYes},
		"RU": {projections.VotedNo, projections.Abstained, projections.VotedYes},
	}
	table := func(order []string) projections.VoteTable {
		t := projections.VoteTable{}
		for _, c := range order {
			t.Actors = append(t.Actors, events.MustCountry(c))
		}
		for k := range 3 {
			rc := &projections.RollCallVotes{Motion: events.MustMotionID(fmt.Sprintf("m-%d", k)), Day: events.MustDate("2024-01-01").AddDays(k)}
			for _, c := range order {
				rc.Votes = append(rc.Votes, votes[c][k])
			}
			t.RollCalls = append(t.RollCalls, rc)
		}
		return t
	}
	want := fmt.Sprint(PairMatrix(table(codes), Agreement).Actors)
	for _, order := range [][]string{{"IN", "RU", "CN", "GB", "FR", "US"}, {"RU", "US", "IN", "FR", "CN", "GB"}} {
		if got := fmt.Sprint(PairMatrix(table(order), Agreement).Actors); got != want {
			t.Errorf("actors numbered %v: order %s, want %s", order, got, want)
		}
	}
}
