package main

import (
	"context"
	"flag"
	"io"
	"log/slog"

	"github.com/nats-io/nats.go"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/internal/natsapi"
	"github.com/stancewatch/stancewatch/internal/store"
)

// connect binds to the event stream of a running server.
func connect(ctx context.Context, nf natsFlags) (*store.Store, error) {
	return store.Open(ctx, nf.storeConfig())
}

func (nf natsFlags) storeConfig() store.Config {
	return store.Config{
		URL: *nf.url, Bind: true, Creds: *nf.creds, User: *nf.user, Password: *nf.password, Token: *nf.token, TLSCA: *nf.ca,
		Name: "stancewatch-cli", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

// appender is what the writing commands need: the store, or the write
// service for NATS users whose role names the producers they may write as.
type appender interface {
	Append(ctx context.Context, ev events.Event, opts ...eventlog.AppendOption) (eventlog.Ack, error)
	AppendBatch(ctx context.Context, evs []events.Event, opts ...eventlog.AppendOption) ([]eventlog.Ack, error)
	AppendGroups(ctx context.Context, groups [][]events.Event, progress func(done int)) ([][]eventlog.Ack, error)
}

// addWriteServiceFlag adds --write-service to a writing command.
func addWriteServiceFlag(fs *flag.FlagSet) *bool {
	return fs.Bool("write-service", false, "write through stancewatch's write service (stancewatch.write.<producer>), "+
		"as a NATS user whose role allows only that, instead of appending to the stream")
}

// writer connects the way --write-service says: to the stream, or to the
// write service.
func writer(ctx context.Context, nf natsFlags, viaService bool) (appender, func(), error) {
	if !viaService {
		st, err := connect(ctx, nf)
		if err != nil {
			return nil, nil, err
		}
		return st, st.Close, nil
	}
	opts := append(store.AuthOptions(nf.storeConfig()), nats.Name("stancewatch-cli"))
	nc, err := nats.Connect(*nf.url, opts...)
	if err != nil {
		return nil, nil, err
	}
	return natsapi.NewClient(nc), nc.Close, nil
}
