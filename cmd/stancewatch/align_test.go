package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestAlignPrintsASeries(t *testing.T) {
	body := `{"seq":7,"clocks":{"as_of":null,"known_at":null},"alignment":[{"actor":"IN","with":"US","topic":"all","measure":"agreement","period":"year",
"formula":"mean of …","overall":{"value":0.3,"n":180},"points":[{"period":"2018","from":"2018-01-01","to":"2018-12-20","value":0.25,"n":90},
{"period":"2019","from":"2019-01-01","to":"2019-12-20","value":null,"n":0}]}]}`
	var b bytes.Buffer
	if err := printAlignment(&b, []byte(body)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"IN with US on all: agreement 0.300 over 180 roll calls", "2018  0.250  90  ██████████\n", "2019  —      0", "(stream sequence 7)"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}

func TestAlignDivergentTable(t *testing.T) {
	body := `{"divergent":{"actor":"US","with":"IN","roll_calls":[{"motion":"A/RES/74/1","date":"2019-12-01","actor_vote":"no","with_vote":"yes","yes":90,"no":88,"abstain":10,"margin":0.0106}]}}`
	var b bytes.Buffer
	if err := printDivergent(&b, []byte(body)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "2019-12-01  A/RES/74/1  no  yes  90-88-10  0.01") {
		t.Errorf("got\n%s", b.String())
	}
}

func TestAlignPrintsAScale(t *testing.T) {
	body := `{"seq":9,"clocks":{"as_of":null,"known_at":null},"scale":{"period":"2019","topic":"all","method":"classical MDS","measure":"agreement",
"roll_calls":90,"min_roll_calls":10,"anchor":"US","eigenvalue":5.03,"explained":0.87,
"positions":[{"actor":"US","position":0.67,"n":88},{"actor":"IN","position":-0.086,"n":90},{"actor":"CU","position":-0.167,"n":88}],
"left_out":[{"actor":"VA","n":2}]}}`
	var b bytes.Buffer
	if err := printScale(&b, []byte(body)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"2019, all: 90 roll calls, agreement; the line accounts for 87% (positive: the side of US)",
		"US  +0.670  88", "|████████████████████\n", "CU  -0.167  88", "1 actors left out", "(stream sequence 9)"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}
