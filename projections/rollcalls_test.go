package projections

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/events"
)

// tableString renders a vote table canonically: one line per roll call,
// its votes by actor code.
func tableString(t VoteTable) string {
	var b strings.Builder
	for _, rc := range t.RollCalls {
		var vs []string
		for i, v := range rc.Votes {
			if v != NotVoting {
				vs = append(vs, t.Actors[i].String()+"="+v.String())
			}
		}
		slices.Sort(vs)
		fmt.Fprintf(&b, "%s %s %s|%s: %s\n", rc.Day, rc.Motion, rc.Body, rc.Session, strings.Join(vs, " "))
	}
	return b.String()
}

func (b *builder) correct(target events.Event, stance string) events.Event {
	p := target.Data.(events.Position)
	p.Stance = events.MustStance(stance)
	p.Supersedes = target.ID
	p.Evidence.Quote += " (corrected)"
	return b.add(p)
}

func TestVoteTableCountsTheTimeline(t *testing.T) {
	b := &builder{}
	topic := events.MustTopic("gaza-ceasefire")
	b.motion("S/2024/239", "2024-03-22")
	us := b.vote("US", "vote_yes", "2024-03-22", "S/2024/239")
	b.pos("US", "gaza-ceasefire", "vote_no", "2024-03-22", "S/2024/239", events.ProducerNews, 0.9) // overruled by the roll call
	gb := b.vote("GB", "vote_no", "2024-03-22", "S/2024/239")
	fr := b.vote("FR", "abstain", "2024-03-22", "S/2024/239")
	b.vote("RU", "veto", "2024-03-22", "S/2024/239")
	b.vote("CN", "absent", "2024-03-22", "S/2024/239")
	b.pos("DZ", "gaza-ceasefire", "support", "2024-03-22", "", events.ProducerNews, 0.9) // no motion: not a vote
	b.vote("DZ", "vote_yes", "2024-03-25", "2728")                                       // S/RES/2728, another roll call
	s := New()
	for _, r := range b.recs {
		s.Apply(r.ev, r.m)
	}
	read := func() string { return tableString(s.VoteTable(VoteFilter{Topic: topic}, Lens{})) }
	want := "2024-03-22 S/2024/239 |: FR=abstain GB=no RU=no US=yes\n2024-03-25 S/RES/2728 |: DZ=yes\n"
	if got := read(); got != want {
		t.Fatalf("table:\n%s\nwant:\n%s", got, want)
	}
	steps := []struct {
		name string
		ev   func() events.Event
		want string
	}{
		{"a retraction takes the vote out", func() events.Event { return b.retract(gb, "wrong member") },
			"2024-03-22 S/2024/239 |: FR=abstain RU=no US=yes\n2024-03-25 S/RES/2728 |: DZ=yes\n"},
		{"a correction replaces the vote", func() events.Event { return b.correct(fr, "vote_yes") },
			"2024-03-22 S/2024/239 |: FR=yes RU=no US=yes\n2024-03-25 S/RES/2728 |: DZ=yes\n"},
		{"a correction of the roll call's own vote", func() events.Event { return b.correct(us, "abstain") },
			"2024-03-22 S/2024/239 |: FR=yes RU=no US=abstain\n2024-03-25 S/RES/2728 |: DZ=yes\n"},
		{"an alias makes two ids one roll call", func() events.Event {
			return b.add(events.Motion{ID: events.MustMotionID("S/RES/2728"), Aliases: []events.MotionID{events.MustMotionID("S/2024/240")},
				Kind: events.KindResolution, Body: "UNSC", Session: "2024", Topic: topic, Date: events.MustDate("2024-03-25"), Outcome: events.OutcomeAdopted})
		}, "2024-03-22 S/2024/239 |: FR=yes RU=no US=abstain\n2024-03-25 S/RES/2728 UNSC|2024: DZ=yes\n"},
		{"a vote under the alias joins it", func() events.Event { return b.vote("US", "abstain", "2024-03-25", "S/2024/240") },
			"2024-03-22 S/2024/239 |: FR=yes RU=no US=abstain\n2024-03-25 S/RES/2728 UNSC|2024: DZ=yes US=abstain\n"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			ev := st.ev()
			r := b.recs[len(b.recs)-1]
			s.Apply(ev, r.m)
			if got := read(); got != st.want {
				t.Errorf("table:\n%s\nwant:\n%s", got, st.want)
			}
		})
	}
	t.Run("as_of and known_at", func(t *testing.T) {
		got := tableString(s.VoteTable(VoteFilter{Topic: topic}, Lens{AsOf: events.MustDate("2024-03-23")}))
		if want := "2024-03-22 S/2024/239 |: FR=yes RU=no US=abstain\n"; got != want {
			t.Errorf("as_of:\n%s\nwant:\n%s", got, want)
		}
		// Before the retraction and the corrections (recorded from minute
		// 10 on) GB's no counted and the votes stood as first recorded. The
		// later roll-call records (the motion with its alias, the US vote
		// under it) count as known from the day of their vote.
		got = tableString(s.VoteTable(VoteFilter{Topic: topic}, Lens{KnownAt: t0.Add(10*time.Minute - time.Second)}))
		if want := "2024-03-22 S/2024/239 |: FR=abstain GB=no RU=no US=yes\n2024-03-25 S/RES/2728 UNSC|2024: DZ=yes US=abstain\n"; got != want {
			t.Errorf("known_at:\n%s\nwant:\n%s", got, want)
		}
	})
}

// TestVoteTableIncrementalEqualsRecompute folds random streams of votes,
// news positions, corrections, retractions, motions with aliases and
// duplicates in random orders, reading the table between events (the
// incremental path), and checks it against a table counted from scratch
// from a state that got the same events in another order.
func TestVoteTableIncrementalEqualsRecompute(t *testing.T) {
	actors := []string{"US", "GB", "FR", "RU", "CN", "IN"}
	stances := []string{"vote_yes", "vote_no", "abstain", "veto", "absent", "support"}
	topics := []string{"gaza-ceasefire", "human-rights"}
	for seed := range uint64(40) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 16))
			b := &builder{}
			var positions, motions []events.Event
			for range 60 {
				day := fmt.Sprintf("2024-0%d-1%d", 1+rng.IntN(3), rng.IntN(3))
				motion := fmt.Sprintf("m-%d", rng.IntN(7)) // m-5 and m-6 are also aliases of other motions
				switch k := rng.IntN(10); {
				case k < 6 || len(positions) == 0:
					prod, conf := events.ProducerRollCall, 1.0
					if rng.IntN(4) == 0 {
						prod, conf = events.ProducerNews, 0.5+rng.Float64()/2
					}
					ev := b.pos(actors[rng.IntN(len(actors))], topics[rng.IntN(2)], stances[rng.IntN(len(stances))], day, motion, prod, conf)
					positions = append(positions, ev)
				case k == 6:
					positions = append(positions, b.correct(positions[rng.IntN(len(positions))], stances[rng.IntN(3)]))
				case k == 7 && len(motions) > 0 && rng.IntN(3) == 0:
					b.retract(motions[rng.IntN(len(motions))], "not this text") // its aliases no longer hold
				case k == 7:
					b.retract(positions[rng.IntN(len(positions))], "withdrawn")
				case k == 8:
					motions = append(motions, b.motion(motion, day, fmt.Sprintf("m-%d", 5+rng.IntN(2))))
				default:
					r := b.recs[rng.IntN(len(b.recs))] // a redelivery
					b.recs = append(b.recs, r)
				}
			}
			recs := slices.Clone(b.recs)
			rng.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
			live := New()
			for i, r := range recs {
				live.Apply(r.ev, r.m)
				if i%7 == 0 {
					live.VoteTable(VoteFilter{}, Lens{})
					live.Positions(PositionFilter{}, Lens{}) // views cached between events
				}
			}
			rng.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
			fresh := fold(recs)
			for _, f := range []VoteFilter{{}, {Topic: events.MustTopic("gaza-ceasefire")}, {Topic: events.MustTopic("human-rights"), From: events.MustDate("2024-02-01")}} {
				got := tableString(live.VoteTable(f, Lens{}))
				if want := tableString(fresh.VoteTable(f, Lens{})); got != want {
					t.Fatalf("filter %+v: incremental\n%s\nfrom scratch\n%s", f, got, want)
				}
				if want := tableString(fresh.VoteTable(f, Lens{KnownAt: t0.Add(1000 * time.Hour)})); got != want {
					t.Fatalf("filter %+v: incremental\n%s\ncounted from the observations\n%s", f, got, want)
				}
			}
			// The views agree: what the timelines count, shifts included.
			for _, a := range actors {
				for _, tp := range topics {
					lh := live.Histories(events.MustCountry(a), events.MustTopic(tp), Lens{})
					fh := fresh.Histories(events.MustCountry(a), events.MustTopic(tp), Lens{})
					lj, _ := json.Marshal(lh)
					fj, _ := json.Marshal(fh)
					if string(lj) != string(fj) {
						t.Fatalf("%s %s: incremental history\n%s\nfrom scratch\n%s", a, tp, lj, fj)
					}
				}
			}
			// The timelines agree: every counted roll-call vote is there.
			n := 0
			for _, p := range fresh.Positions(PositionFilter{}, Lens{}) {
				if !p.Motion.IsZero() && VoteOf(p.Stance) != NotVoting {
					n++
				}
			}
			votes := 0
			for _, tp := range topics {
				for _, rc := range live.VoteTable(VoteFilter{Topic: events.MustTopic(tp)}, Lens{}).RollCalls {
					for _, v := range rc.Votes {
						if v != NotVoting {
							votes++
						}
					}
				}
			}
			if votes != n {
				t.Errorf("%d votes in the tables, %d counted roll-call positions in the timelines", votes, n)
			}
		})
	}
}

// TestDrillDownReads: what the alignment drill-down reads beside the vote
// table — an actor's counted positions of some days, and a motion's
// record found by its id or an alias — under the lens.
func TestDrillDownReads(t *testing.T) {
	var b builder
	b.motion("S/2024/1", "2024-02-01", "S/RES/2720")
	b.vote("US", "vote_yes", "2024-01-10", "S/2024/0")
	b.vote("US", "veto", "2024-02-01", "S/RES/2720")
	b.vote("US", "abstain", "2024-03-01", "S/2024/2")
	b.vote("FR", "vote_yes", "2024-02-01", "S/2024/1")
	s := fold(b.recs)
	us := events.MustCountry("US")
	for _, c := range []struct {
		name     string
		from, to string
		want     string
	}{
		{"every day", "", "", "S/2024/0 S/2024/1 S/2024/2"},
		{"one month", "2024-02-01", "2024-02-29", "S/2024/1"},
		{"from a day", "2024-02-01", "", "S/2024/1 S/2024/2"},
		{"to a day", "", "2024-02-01", "S/2024/0 S/2024/1"},
		{"no day", "2024-04-01", "", ""},
	} {
		t.Run("positions, "+c.name, func(t *testing.T) {
			f := PositionFilter{Actor: us}
			if c.from != "" {
				f.From = events.MustDate(c.from)
			}
			if c.to != "" {
				f.To = events.MustDate(c.to)
			}
			var got []string
			for _, p := range s.Positions(f, Lens{}) {
				got = append(got, p.Motion.String()) // the motion as counted: the alias resolved
			}
			if strings.Join(got, " ") != c.want {
				t.Errorf("%v, want %s", got, c.want)
			}
		})
	}
	for _, c := range []struct {
		name   string
		id     string
		lens   Lens
		wantOK bool
	}{
		{"by its id", "S/2024/1", Lens{}, true},
		{"by an alias", "2720", Lens{}, true},
		{"not described", "S/2024/2", Lens{}, false},
		{"dated after as_of", "S/2024/1", Lens{AsOf: events.MustDate("2024-01-31")}, false},
	} {
		t.Run("motion "+c.name, func(t *testing.T) {
			m, ok := s.DescribeMotion(events.MustMotionID(c.id), c.lens)
			if ok != c.wantOK || (ok && (m.ID.String() != "S/2024/1" || m.Date != events.MustDate("2024-02-01") || !m.Described)) {
				t.Errorf("%+v, %v; want S/2024/1 of 2024-02-01: %v", m, ok, c.wantOK)
			}
		})
	}
	if VoteOf(events.Veto) != VotedNo || VoteOf(events.Support) != NotVoting {
		t.Error("a veto is a no; support is not a vote")
	}
}
