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
