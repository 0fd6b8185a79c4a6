package layout

import (
	"bufio"
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/stancewatch/stancewatch"

// allowed lists, for each room, the rooms of the project it may import
// (directly). A room not listed may import nothing of the project;
// cmd/stancewatch, tests and the layout package itself are free.
var allowed = map[string][]string{
	"events":                {},
	"projections":           {"events"},
	"projections/alignment": {"events", "projections"},
	"producers":             {"events"},
	"producers/votes":       {"events"},
	"producers/news":        {"events", "producers/votes", "data"},
	"data":                  {},
	"internal/eventlog":     {"events"},
	"internal/tracing":      {"internal/eventlog"},
	"internal/metrics":      {},
	"internal/memory":       {},
	"internal/testcert":     {},
	"internal/testnet":      {},
	"internal/powercut":     {},
	"internal/store":        {"events", "internal/eventlog", "internal/metrics"},
	"internal/projector":    {"events", "projections", "internal/eventlog", "internal/metrics", "internal/store", "internal/tracing"},
	"internal/ingest":       {"events", "producers/votes", "producers/news", "data", "internal/eventlog"},
	"internal/api":          {"events", "projections", "projections/alignment", "producers", "internal/eventlog", "internal/metrics", "internal/projector", "internal/tracing"},
	"internal/natsapi":      {"events", "internal/eventlog", "internal/tracing"},
	"internal/bench":        {"events", "projections", "projections/alignment", "internal/eventlog", "internal/metrics", "internal/store", "internal/projector", "internal/api", "internal/ingest", "producers/votes", "data"},
}

// forbiddenDeps are packages a room must not reach, directly or not.
var forbiddenDeps = map[string][]string{
	"events":                {module + "/", "github.com/nats-io/", "net/http"},
	"projections":           {"github.com/nats-io/", "net/http", module + "/internal/"},
	"projections/alignment": {"github.com/nats-io/", "net/http", module + "/internal/"},
	"producers":             {"github.com/nats-io/", "net/http", module + "/internal/"},
}

// list runs go list over the module: each package's path, direct imports
// and every dependency.
func list(t *testing.T) map[string][2][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}|{{join .Deps \" \"}}", module+"/...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string][2][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), "|", 3)
		if len(parts) != 3 {
			continue
		}
		pkgs[strings.TrimPrefix(strings.TrimPrefix(parts[0], module), "/")] = [2][]string{strings.Fields(parts[1]), strings.Fields(parts[2])}
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages: %s", len(pkgs), out)
	}
	return pkgs
}

func TestImportArrows(t *testing.T) {
	for pkg, lists := range list(t) {
		if pkg == "cmd/stancewatch" || pkg == "internal/layout" || pkg == "deploy" {
			continue
		}
		ok, known := allowed[pkg]
		if !known {
			t.Errorf("%s: a room the layout does not know; add it to allowed (and to the README's arrows)", pkg)
			continue
		}
		for _, imp := range lists[0] {
			if !strings.HasPrefix(imp, module+"/") {
				continue
			}
			room := strings.TrimPrefix(imp, module+"/")
			if !slices.Contains(ok, room) {
				t.Errorf("%s imports %s: not an arrow of the layout", pkg, room)
			}
		}
	}
}

func TestForbiddenDependencies(t *testing.T) {
	pkgs := list(t)
	for pkg, banned := range forbiddenDeps {
		for p, lists := range pkgs {
			if p != pkg && !strings.HasPrefix(p, pkg+"/") {
				continue
			}
			for _, dep := range lists[1] {
				for _, b := range banned {
					if strings.HasPrefix(dep, b) || dep == strings.TrimSuffix(b, "/") {
						t.Errorf("%s depends on %s", p, dep)
					}
				}
			}
		}
	}
}
