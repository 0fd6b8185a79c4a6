// Command stancewatch records countries' diplomatic positions as
// immutable events in NATS JetStream and answers where each stands, how it
// got there, on whose evidence, and what was known on a given day.
//
// Usage:
//
//	stancewatch serve                         run the server (embedded NATS, bundled data)
//	stancewatch publish --actor US ...        record an analyst's position
//	stancewatch retract ID --reason TEXT      withdraw an event
//	stancewatch correct ID --stance S ...     replace a position with a corrected one
//	stancewatch ingest votes FILE...          record roll-call votes (UNDL CSV or dataset JSON)
//	stancewatch ingest articles FILE|DIR...   record the positions news articles report
//	stancewatch extract FILE... [--eval G]    print what articles report, or score it against a gold file
//	stancewatch history ACTOR [--topic T]     print an actor's timeline
//	stancewatch align ACTOR WITH [--topic T]  print how often two actors (or an actor and a bloc) vote alike
//	stancewatch tail [--actor A] [--topic T]  follow new events live
//	stancewatch export [positions|motions|events|alignment]  tidy CSV tables, raw CloudEvents
//	stancewatch dataset build SRC             rebuild the bundled dataset
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
)

// exit codes
const (
	exitOK      = 0
	exitFailure = 1 // nothing or not everything was done
	exitUsage   = 2
	exitPartial = 3 // some input rejected, the rest recorded
)

type command struct {
	name, summary string
	run           func(args []string) int
}

func commands() []command {
	return []command{
		{"serve", "run the server: embedded NATS JetStream, projection worker, HTTP API", cmdServe},
		{"publish", "record an analyst's position", cmdPublish},
		{"retract", "withdraw an event: retract ID --reason TEXT", cmdRetract},
		{"correct", "replace a position with a corrected one: correct ID --stance S ...", cmdCorrect},
		{"ingest", "record roll-call votes or news articles: ingest votes FILE... | ingest articles FILE|DIR...", cmdIngest},
		{"extract", "print the positions news articles report, publishing nothing: extract FILE... [--eval GOLD]", cmdExtract},
		{"history", "print an actor's timeline: history ACTOR [--topic T]", cmdHistory},
		{"align", "print how often an actor votes with another or a bloc, per year: align IN US [--topic T]", cmdAlign},
		{"tail", "follow events live: tail [--actor A] [--topic T]", cmdTail},
		{"export", "tidy tables and raw events: export [positions|motions|events|alignment]", cmdExport},
		{"rebuild", "rebuild the projection from sequence 1 without downtime", cmdRebuild},
		{"bench", "measure ingest, replay, restart, latency, reads and memory against raw JetStream", cmdBench},
		{"dataset", "rebuild the bundled dataset: dataset build SRC [-o FILE]", cmdDataset},
	}
}

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(os.Stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:])
		}
	}
	fmt.Fprintf(os.Stderr, "stancewatch: unknown command %q\n\n", args[0])
	usage(os.Stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "stancewatch: an event-sourced tracker of diplomatic positions")
	fmt.Fprintln(w, "\nUsage: stancewatch COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun stancewatch COMMAND -h for its flags.")
}

// parse parses flags that may come before, between or after positional
// arguments, and returns the positional ones.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// newFlags returns a flag set that prints its usage to stderr.
func newFlags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "Usage: stancewatch %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseOrExit parses and maps a flag error to an exit code (-1: go on).
func parseOrExit(fs *flag.FlagSet, args []string) ([]string, int) {
	pos, err := parse(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil, exitOK
	}
	if err != nil {
		return nil, exitUsage
	}
	return pos, -1
}

// parseOneOrExit is parseOrExit for a command that takes exactly one
// argument besides its flags: it returns that argument, or the exit code
// (after the usage, when the count is wrong).
func parseOneOrExit(fs *flag.FlagSet, args []string) (string, int) {
	pos, code := parseOrExit(fs, args)
	if code >= 0 {
		return "", code
	}
	if len(pos) != 1 {
		fs.Usage()
		return "", exitUsage
	}
	return pos[0], -1
}

// logFlags adds --log-level and --log-format to fs and returns a function
// that makes the logger: text on a terminal, JSON otherwise.
func logFlags(fs *flag.FlagSet) func() *slog.Logger {
	level := fs.String("log-level", "info", "log level: debug, info, warn or error")
	format := fs.String("log-format", "auto", "log format: auto (text on a terminal, JSON otherwise), text or json")
	return func() *slog.Logger {
		var l slog.Level
		if err := l.UnmarshalText([]byte(*level)); err != nil {
			l = slog.LevelInfo
		}
		opts := &slog.HandlerOptions{Level: l, ReplaceAttr: readableDurations}
		f := *format
		if f == "auto" {
			f = "json"
			if isTerminal(os.Stderr) {
				f = "text"
			}
		}
		if f == "text" {
			return slog.New(slog.NewTextHandler(os.Stderr, opts))
		}
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// natsFlags are the flags of commands that connect to a running server.
type natsFlags struct {
	url, creds, user, password, token, ca *string
}

func addNATSFlags(fs *flag.FlagSet) natsFlags {
	return natsFlags{
		url:      fs.String("nats-url", envOr("STANCEWATCH_NATS_URL", "nats://127.0.0.1:4222"), "NATS server or cluster (comma-separated URLs) [$STANCEWATCH_NATS_URL]"),
		creds:    fs.String("nats-creds", os.Getenv("STANCEWATCH_NATS_CREDS"), "NATS credentials file [$STANCEWATCH_NATS_CREDS]"),
		user:     fs.String("nats-user", os.Getenv("STANCEWATCH_NATS_USER"), "NATS user [$STANCEWATCH_NATS_USER]"),
		password: fs.String("nats-password", os.Getenv("STANCEWATCH_NATS_PASSWORD"), "NATS password [$STANCEWATCH_NATS_PASSWORD]"),
		token:    fs.String("nats-token", os.Getenv("STANCEWATCH_NATS_TOKEN"), "NATS token [$STANCEWATCH_NATS_TOKEN]"),
		ca:       fs.String("nats-ca", os.Getenv("STANCEWATCH_NATS_CA"), "CA file to verify the NATS server's TLS certificate [$STANCEWATCH_NATS_CA]"),
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func fail(format string, args ...any) int {
	fmt.Fprintf(os.Stderr, "stancewatch: "+strings.TrimSuffix(format, "\n")+"\n", args...)
	return exitFailure
}

// readableDurations logs durations as "1.5s", not as nanoseconds (the JSON
// handler's default).
func readableDurations(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		a.Value = slog.StringValue(a.Value.Duration().String())
	}
	return a
}
