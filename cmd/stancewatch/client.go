package main

import (
	"context"
	"io"
	"log/slog"

	"github.com/stancewatch/stancewatch/internal/store"
)

// connect binds to the event stream of a running server.
func connect(ctx context.Context, nf natsFlags) (*store.Store, error) {
	return store.Open(ctx, store.Config{
		URL: *nf.url, Bind: true, Creds: *nf.creds, User: *nf.user, Password: *nf.password, Token: *nf.token, TLSCA: *nf.ca,
		Name: "stancewatch-cli", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
}
