package deploy_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/internal/natsapi"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/crypto/bcrypt"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/store"
	"github.com/stancewatch/stancewatch/internal/testcert"
)

var passwords = map[string]string{
	"admin": "admin-password-0123", "newsroom": "newsroom-password-0123", "analyst": "analyst-password-0123",
	"rollcall": "rollcall-password-0123", "reader": "reader-password-0123", "reader-us": "reader-us-password-0123",
}

// TestNATSRoles runs the embedded server with the shipped authorization
// (deploy/auth/nats.conf, with tls.conf) and checks what each role can and
// cannot do, and that nothing refused changed the stream.
func TestNATSRoles(t *testing.T) {
	dir := t.TempDir()
	for user, pw := range passwords {
		h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost) // the cost does not change what is tested; it keeps -race runs quick
		if err != nil {
			t.Fatal(err)
		}
		env := map[string]string{"admin": "ADMIN", "newsroom": "NEWSROOM", "analyst": "ANALYST", "rollcall": "ROLLCALL", "reader": "READER",
			"reader-us": "READER_US"}[user]
		t.Setenv("STANCEWATCH_"+env+"_BCRYPT", string(h))
	}
	cert, key := testcert.Write(t, dir)
	t.Setenv("STANCEWATCH_NATS_TLS_CERT", cert)
	t.Setenv("STANCEWATCH_NATS_TLS_KEY", key)
	// nats-server resolves includes relative to the including file: copy
	// the shipped files, unchanged, beside the server's configuration.
	for _, f := range []string{"nats.conf", "roles.conf", "tls.conf"} {
		b, err := os.ReadFile(filepath.Join("auth", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	conf := filepath.Join(dir, "server.conf")
	if err := os.WriteFile(conf, []byte("include nats.conf\ninclude tls.conf\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	quiet := slogDiscard()
	// stancewatch serve's side: the embedded server, connected as admin.
	srv, err := store.Open(ctx, store.Config{DataDir: filepath.Join(dir, "data"), Listen: "127.0.0.1:-1", ConfigFile: conf,
		User: "admin", Password: passwords["admin"], TLSCA: cert, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	url := srv.ClientURL()
	for _, actor := range []string{"US", "FR"} {
		if _, err := srv.Append(ctx, pos(actor, 0)); err != nil {
			t.Fatal(err)
		}
	}

	connect := func(user string, opts ...nats.Option) (*nats.Conn, error) {
		opts = append(opts, nats.RootCAs(cert), nats.Timeout(2*time.Second), nats.MaxReconnects(0))
		if user != "" {
			opts = append(opts, nats.UserInfo(user, passwords[user]))
		}
		return nats.Connect(url, opts...)
	}
	short := func() (context.Context, context.CancelFunc) { return context.WithTimeout(ctx, 500*time.Millisecond) }
	refused := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Errorf("%s: allowed, want refused", what)
		}
	}

	t.Run("no TLS trust, no user, wrong password", func(t *testing.T) {
		if nc, err := nats.Connect(url, nats.Timeout(2*time.Second), nats.UserInfo("admin", passwords["admin"])); err == nil {
			nc.Close()
			t.Error("connected without trusting the server's certificate")
		}
		if nc, err := connect(""); err == nil {
			nc.Close()
			t.Error("connected without credentials")
		}
		if nc, err := nats.Connect(url, nats.RootCAs(cert), nats.UserInfo("newsroom", "guess"), nats.Timeout(2*time.Second)); err == nil {
			nc.Close()
			t.Error("connected with a wrong password")
		}
	})

	// serve's write service, on its own (admin) connection.
	writes, err := natsapi.Start(natsapi.Config{Conn: srv.Conn(), Appender: srv, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer writes.Stop()

	t.Run("a newsroom writes as news, and as nothing else", func(t *testing.T) {
		nc, err := connect("newsroom")
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		client := natsapi.NewClient(nc)
		news := pos("GB", 1)
		p := news.Data.(events.Position)
		p.Evidence.Producer = events.ProducerNews
		news.Data = p
		if _, err := client.Append(ctx, news); err != nil {
			t.Fatalf("a news writer writes news: %v", err)
		}
		// The body claims the official record: the service refuses it.
		claim := pos("GB", 2)
		p = claim.Data.(events.Position)
		p.Evidence.Producer = events.ProducerRollCall
		claim.Data = p
		body, _ := json.Marshal(claim)
		m, err := nc.Request(natsapi.Subject(events.ProducerNews), body, 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		var r natsapi.Reply
		if err := json.Unmarshal(m.Data, &r); err != nil || r.Error == nil || r.Error.Status != 403 || !strings.Contains(r.Error.Detail, "claims rollcall") {
			t.Fatalf("a news writer's event claiming rollcall: %s", m.Data)
		}
		// The roll-call subject and the stream's subjects are not its to
		// publish to: nats-server refuses.
		_, err = nc.Request(natsapi.Subject(events.ProducerRollCall), body, 500*time.Millisecond)
		refused("requesting on the roll-call subject", err)
		c0, cancel0 := short()
		defer cancel0()
		_, err = client.Append(c0, claim)
		refused("the client writing a roll-call claim", err)
		js, err := jetstream.New(nc)
		if err != nil {
			t.Fatal(err)
		}
		c, cancel := short()
		defer cancel()
		_, err = js.Publish(c, claim.Subject(), body)
		refused("publishing to the stream's subject", err)
		c2, cancel2 := short()
		defer cancel2()
		_, err = js.Publish(c2, "shifts.US.gaza-ceasefire."+events.NewID().String(), []byte("{}"))
		refused("publishing a shift alert", err)
		c3, cancel3 := short()
		defer cancel3()
		refused("deleting the stream", js.DeleteStream(c3, store.DefaultStream))
	})

	t.Run("reader of the United States", func(t *testing.T) {
		r, err := store.Open(ctx, store.Config{URL: url, Bind: true, User: "reader-us", Password: passwords["reader-us"], TLSCA: cert, Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var got []string
		err = r.Subscribe(ctx, eventlog.SubscribeOptions{CatchUp: true, Filters: []string{events.PositionFilter(events.MustCountry("US"), events.Topic{})}},
			func(d eventlog.Delivery) error { got = append(got, d.Subject); return nil })
		if err != nil || len(got) != 1 {
			t.Fatalf("reading its own actor: %v %v", got, err)
		}
		js := r.JetStream()
		for _, f := range [][]string{{events.PositionFilter(events.MustCountry("FR"), events.Topic{})}, nil, {"positions.>"}} {
			c, cancel := short()
			_, err := js.OrderedConsumer(c, store.DefaultStream, jetstream.OrderedConsumerConfig{FilterSubjects: f})
			cancel()
			refused(fmt.Sprintf("a consumer filtered to %v", f), err)
		}
		c, cancel := short()
		defer cancel()
		_, err = r.Stream().GetMsg(c, 2)
		refused("reading a message directly", err)
		c2, cancel2 := short()
		defer cancel2()
		_, err = js.Publish(c2, events.PositionSubject(events.MustCountry("US"), events.MustTopic("gaza-ceasefire"), "analyst"), []byte("{}"))
		refused("publishing", err)
		c3, cancel3 := short()
		defer cancel3()
		refused("purging the stream", r.Stream().Purge(c3))
	})

	t.Run("reader", func(t *testing.T) {
		r, err := store.Open(ctx, store.Config{URL: url, Bind: true, User: "reader", Password: passwords["reader"], TLSCA: cert, Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		n := 0
		if err := r.Subscribe(ctx, eventlog.SubscribeOptions{CatchUp: true}, func(eventlog.Delivery) error { n++; return nil }); err != nil || n != 3 {
			t.Fatalf("a reader reads everything: %d events, %v", n, err)
		}
		c, cancel := short()
		defer cancel()
		_, err = r.Append(c, pos("DE", 2))
		refused("appending", err)
		c2, cancel2 := short()
		defer cancel2()
		refused("deleting the stream", r.JetStream().DeleteStream(c2, store.DefaultStream))
	})

	// Nothing refused changed the stream: the two events of the admin and
	// the newsroom's one.
	last, err := srv.LastSeq(ctx)
	if err != nil || last != 3 {
		t.Fatalf("stream at %d (%v), want 3", last, err)
	}
	if _, err := srv.Stream().Info(ctx); errors.Is(err, jetstream.ErrStreamNotFound) {
		t.Fatal("the stream is gone")
	}
}

func pos(actor string, i int) events.Event {
	p := events.Position{Actor: events.MustCountry(actor), Topic: events.MustTopic("gaza-ceasefire"), Stance: events.Support,
		Occurred: events.OnDay(events.MustDate("2024-03-26")),
		Evidence: events.Evidence{Quote: fmt.Sprint("auth test ", actor, i), Producer: events.ProducerAnalyst, Confidence: 1}}
	return events.Event{ID: events.DeterministicID("auth", actor, fmt.Sprint(i)), Source: "auth-test", SchemaVersion: events.CurrentSchemaVersion, Data: p}
}
