package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/data"
	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/producers/votes"
)

// Finder is what the bundled load needs to tell whether a part of a
// dataset is stored already.
type Finder interface {
	Get(ctx context.Context, id uuid.UUID) (eventlog.Stored, error)
}

// GroupedAppender stores groups by the grouped bulk path (see
// store.AppendGrouped).
type GroupedAppender interface {
	AppendGrouped(ctx context.Context, groups [][]events.Event, progress func(done int)) ([][]eventlog.Ack, error)
}

// Dataset is a record the bundled load stores: a name, and how to read
// its roll calls.
type Dataset struct {
	Name string
	Read func() ([]votes.RollCall, []votes.RowError, error)
	// Digest identifies the dataset's source (DigestOf), for the loader's
	// Marks, asked only when the loader has marks; nil or "" (unknown) has
	// the dataset read at every start.
	Digest func() string
}

// BundledDatasets returns the records shipped inside the binary, smallest
// first, so that the small ones answer queries while the large one loads:
// the Security Council's Gaza votes, the list of vetoes, and the General
// Assembly's roll calls since 1946.
func BundledDatasets() []Dataset {
	// Hashed when first asked for (a few milliseconds for the record's 3
	// MB), not at every start that names the datasets.
	digest := func(names ...string) func() string {
		return sync.OnceValue(func() string {
			d, err := DigestOf(data.Files(), names...)
			if err != nil {
				return "" // read at every start, as without marks
			}
			return d
		})
	}
	return []Dataset{
		{Name: data.GazaRollCallsFile, Digest: sync.OnceValue(func() string { return digestOfBytes(data.GazaRollCallsFile, data.GazaRollCalls) }), Read: func() ([]votes.RollCall, []votes.RowError, error) {
			return votes.ReadDataset(bytes.NewReader(data.GazaRollCalls), data.GazaRollCallsFile)
		}},
		{Name: data.Vetoes, Digest: digest(data.Vetoes), Read: func() ([]votes.RollCall, []votes.RowError, error) {
			f, err := data.Files().Open(data.Vetoes)
			if err != nil {
				return nil, nil, err
			}
			defer f.Close()
			return votes.ReadVetoes(f, data.Vetoes)
		}},
		{Name: UnvotesDataset, Digest: digest(data.UnvotesRollCalls, data.UnvotesIssues, data.UnvotesVotes), Read: func() ([]votes.RollCall, []votes.RowError, error) {
			return ReadUnvotesFS(data.Files(), data.UnvotesRollCalls, data.UnvotesIssues, data.UnvotesVotes)
		}},
	}
}

// UnvotesDataset names the General Assembly record among BundledDatasets.
const UnvotesDataset = "unvotes"

// ReadUnvotesFS reads the three tables of the unvotes data from fsys.
func ReadUnvotesFS(fsys fs.FS, rollCalls, issues, votesFile string) ([]votes.RollCall, []votes.RowError, error) {
	var f votes.UnvotesFiles
	for i, name := range []string{rollCalls, issues, votesFile} {
		r, err := fsys.Open(name)
		if err != nil {
			return nil, nil, err
		}
		defer r.Close()
		f.Names[i] = name
		switch i {
		case 0:
			f.RollCalls = r
		case 1:
			f.Issues = r
		case 2:
			f.Votes = r
		}
	}
	return votes.ReadUnvotes(f)
}

// LoadStatus is how far the load of one dataset is.
type LoadStatus struct {
	Dataset   string `json:"dataset"`
	State     string `json:"state"` // waiting, reading, storing, loaded, failed
	RollCalls int    `json:"roll_calls"`
	Events    int    `json:"events"`         // events the dataset makes (known once read)
	Done      int    `json:"done"`           // events stored or found stored
	Added     int    `json:"added"`          // of which stored by this load
	Stored    int    `json:"already_stored"` // of which stored before
	RowErrors int    `json:"row_errors"`
	// Marked: stored whole by an earlier start (Loader.Marks), and not
	// read again by this one.
	Marked   bool      `json:"marked,omitempty"`
	Error    string    `json:"error,omitempty"`
	Started  time.Time `json:"started,omitzero"`
	Finished time.Time `json:"finished,omitzero"`
}

// Loader stores bundled datasets durably, in chunks, and says how far it
// is. A chunk whose last event is stored already was stored whole by an
// earlier start (a chunk's events are stored in order, each batch on disk
// before the next is sent), so a second start reads the record and looks
// up one event per chunk instead of sending a million duplicates; a chunk
// an earlier start cut short is sent again, and its stored events come
// back as duplicates.
type Loader struct {
	Appender Appender
	Finder   Finder
	Log      *slog.Logger
	// ChunkEvents is about how many events a chunk holds (default 50,000).
	ChunkEvents int
	// Progress, if set, is called after each chunk with the status of the
	// dataset being stored.
	Progress func(LoadStatus)
	// Grouped stores by the grouped bulk path (AppendGrouped) when the
	// appender has it: each roll call's events published one by one and
	// made durable once a chunk, the projection holding a roll call back
	// until all of it is in. Without it, roll calls go in atomic batches.
	Grouped bool
	// Marks, if set, remembers the datasets stored whole, so that a later
	// start does not read them again to find them stored.
	Marks Marks
	// Busy, if set, is called when a dataset starts storing and returns
	// the function called when it ends: serve raises the garbage
	// collector's target meanwhile, as for a replay (a load allocates
	// what it sends and drops it; the process's large live heap makes
	// each collection dear).
	Busy func() (done func())

	mu     sync.Mutex
	status []LoadStatus
}

// Running reports whether a dataset is being read or stored.
func (l *Loader) Running() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.status {
		if s.State == "reading" || s.State == "storing" || s.State == "waiting" {
			return true
		}
	}
	return false
}

// Status returns a copy of every dataset's status.
func (l *Loader) Status() []LoadStatus {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]LoadStatus(nil), l.status...)
}

func (l *Loader) update(i int, f func(*LoadStatus)) LoadStatus {
	l.mu.Lock()
	defer l.mu.Unlock()
	f(&l.status[i])
	return l.status[i]
}

// bigLoad is the number of events of a Run above which its garbage is
// returned to the system at its end.
const bigLoad = 100_000

// Validate reports every setting that cannot work, joined.
func (l *Loader) Validate() error {
	var errs []error
	if l.Appender == nil {
		errs = append(errs, errors.New("appender: none"))
	}
	if l.ChunkEvents < 0 {
		errs = append(errs, fmt.Errorf("chunk events %d: want 0 (the default) or more", l.ChunkEvents))
	}
	return errors.Join(errs...)
}

// Run stores the datasets one after the other. A dataset that fails is
// reported (in its status and the log) and the next one still loads; Run
// returns the errors joined, or the settings' errors (Validate) before
// storing anything.
func (l *Loader) Run(ctx context.Context, sets []Dataset) error {
	if err := l.Validate(); err != nil {
		return err
	}
	log := l.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l.mu.Lock()
	base := len(l.status)
	for _, d := range sets {
		l.status = append(l.status, LoadStatus{Dataset: d.Name, State: "waiting"})
	}
	l.mu.Unlock()
	var errs []error
	for k, d := range sets {
		i := base + k
		if err := l.load(ctx, i, d, log); err != nil {
			l.update(i, func(s *LoadStatus) { s.State, s.Error, s.Finished = "failed", err.Error(), time.Now().UTC() })
			log.Error("bundled dataset failed to load", "dataset", d.Name, "err", err)
			errs = append(errs, fmt.Errorf("%s: %w", d.Name, err))
			if ctx.Err() != nil {
				break
			}
		}
	}
	// A large load's garbage (the read record, the encoded batches) goes
	// back to the system now rather than at the runtime's leisure. Not a
	// small one's: a forced collection walks the whole live heap (the
	// projection of the whole record: half a second on a restart).
	events := 0
	for _, s := range l.Status()[base:] {
		if !s.Marked {
			events += s.Events
		}
	}
	if events >= bigLoad {
		debug.FreeOSMemory()
	}
	return errors.Join(errs...)
}

func (l *Loader) load(ctx context.Context, i int, d Dataset, log *slog.Logger) error {
	start := time.Now()
	l.update(i, func(s *LoadStatus) { s.State, s.Started = "reading", start.UTC() })
	if m, err := l.marked(ctx, d); err == nil {
		st := l.update(i, func(s *LoadStatus) {
			s.State, s.RollCalls, s.Events, s.RowErrors, s.Done, s.Stored, s.Finished = "loaded", m.RollCalls, m.Events, m.RowErrors, m.Events, m.Events, time.Now().UTC()
			s.Marked = true
		})
		log.Info("bundled dataset loaded", "dataset", d.Name, "roll_calls", m.RollCalls, "events", m.Events, "new", 0,
			"already_stored", m.Events, "took", time.Since(start).Round(time.Millisecond).String(), "marked", "stored whole by an earlier start: not read again")
		if l.Progress != nil {
			l.Progress(st)
		}
		return nil
	} else if !errors.Is(err, errNoMark) {
		return err
	}
	rcs, rowErrs, err := d.Read()
	if err != nil {
		return err
	}
	for j, e := range rowErrs {
		if j < 20 {
			log.Warn("bundled dataset: row skipped", "dataset", d.Name, "err", e.Error())
		}
	}
	total := 0
	for _, rc := range rcs {
		total += rc.EventCount()
	}
	l.update(i, func(s *LoadStatus) {
		s.State, s.RollCalls, s.Events, s.RowErrors = "storing", len(rcs), total, len(rowErrs)
	})
	log.Info("loading bundled dataset", "dataset", d.Name, "roll_calls", len(rcs), "events", total)

	if l.Busy != nil {
		defer l.Busy()()
	}
	chunk := l.ChunkEvents
	if chunk <= 0 {
		chunk = 50000
	}
	lastLog := time.Now()
	for from := 0; from < len(rcs); {
		to, n := from, 0
		for to < len(rcs) {
			k := rcs[to].EventCount()
			if n > 0 && n+k > chunk {
				break
			}
			n += k
			to++
		}
		// Whether the chunk is stored is told by its last roll call's
		// last event: a second start builds that roll call's events
		// only, not a million.
		last, err := rcs[to-1].Events()
		if err != nil {
			return err
		}
		stored, err := l.stored(ctx, last[len(last)-1].ID)
		if err != nil {
			return err
		}
		var sum Summary
		if stored {
			sum.Events, sum.Duplicates = n, n
			from = to
		} else {
			groups := make([][]events.Event, 0, to-from)
			for _, rc := range rcs[from : to-1] {
				evs, err := rc.Events()
				if err != nil {
					return err
				}
				groups = append(groups, evs)
			}
			groups = append(groups, last)
			from = to
			for _, g := range groups {
				sum.made(g)
			}
			appendGroups := l.Appender.AppendGroups
			if g, ok := l.Appender.(GroupedAppender); ok && l.Grouped {
				appendGroups = g.AppendGrouped
			}
			acks, err := appendGroups(ctx, groups, nil)
			for _, g := range acks {
				sum.stored(g)
			}
			if err != nil {
				return err
			}
		}
		st := l.update(i, func(s *LoadStatus) { s.Done += sum.Events; s.Added += sum.Added; s.Stored += sum.Duplicates })
		if l.Progress != nil {
			l.Progress(st)
		}
		if time.Since(lastLog) >= 10*time.Second {
			lastLog = time.Now()
			log.Info("loading bundled dataset", "dataset", d.Name, "done", st.Done, "of", st.Events,
				"per_second", int(float64(st.Done)/time.Since(start).Seconds()))
		}
	}
	if err := l.putMark(d, rcs, total, len(rowErrs)); err != nil {
		log.Warn("bundled dataset stored, but not marked so (the next start reads it again)", "dataset", d.Name, "err", err)
	}
	st := l.update(i, func(s *LoadStatus) { s.State, s.Finished = "loaded", time.Now().UTC() })
	log.Info("bundled dataset loaded", "dataset", d.Name, "roll_calls", st.RollCalls, "events", st.Events, "new", st.Added,
		"already_stored", st.Stored, "took", time.Since(start).Round(time.Millisecond).String())
	if l.Progress != nil {
		l.Progress(st)
	}
	return nil
}

// marked returns the mark of a dataset stored whole whose source has not
// changed since and whose last event the stream still holds, or errNoMark.
func (l *Loader) marked(ctx context.Context, d Dataset) (mark, error) {
	var m mark
	digest := l.digestOf(d)
	if digest == "" {
		return m, errNoMark
	}
	b, ok := l.Marks.Mark(d.Name)
	if !ok || json.Unmarshal(b, &m) != nil || m.Digest != digest || m.Last == uuid.Nil {
		return m, errNoMark
	}
	stored, err := l.stored(ctx, m.Last)
	switch {
	case err != nil:
		return m, err
	case !stored:
		return m, errNoMark // another stream, or one started afresh
	}
	return m, nil
}

// digestOf returns the dataset's digest when the loader keeps marks, ""
// when it does not or the digest is unknown.
func (l *Loader) digestOf(d Dataset) string {
	if l.Marks == nil || d.Digest == nil {
		return ""
	}
	return d.Digest()
}

// putMark marks a dataset stored whole.
func (l *Loader) putMark(d Dataset, rcs []votes.RollCall, total, rowErrors int) error {
	digest := l.digestOf(d)
	if digest == "" || len(rcs) == 0 {
		return nil
	}
	last, err := rcs[len(rcs)-1].Events()
	if err != nil {
		return err
	}
	b, err := json.Marshal(mark{Digest: digest, Last: last[len(last)-1].ID, RollCalls: len(rcs), Events: total, RowErrors: rowErrors})
	if err != nil {
		return err
	}
	return l.Marks.PutMark(d.Name, b)
}

// stored reports whether the event id is stored.
func (l *Loader) stored(ctx context.Context, id uuid.UUID) (bool, error) {
	if l.Finder == nil {
		return false, nil
	}
	_, err := l.Finder.Get(ctx, id)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, eventlog.ErrNotFound):
		return false, nil
	}
	return false, err
}
