package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/producers"
)

// TestCorrectionErrorsNameFlags: a correction refused field by field is
// reported by the flags of correct that set those fields, not by the
// paths of the correction's body.
func TestCorrectionErrorsNameFlags(t *testing.T) {
	target, err := producers.AnalystPosition(producers.AnalystInput{
		Actor: "FR", Topic: "gaza-ceasefire", Stance: "support", On: "2024-03-01",
		Quote: "France backs the ceasefire.", Source: "https://example.org/fr", Confidence: 0.9, Analyst: "ana",
	}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		patch string
		want  []string
		not   []string
	}{
		{"a date that is no date", `{"occurred":"soon","evidence":{"none":true}}`, []string{"--on: "}, []string{"occurred", "data."}},
		{"a stance and an actor", `{"stance":"maybe","actor":"ZZ","evidence":{"none":true}}`, []string{"--stance: ", "--actor: "}, []string{"data."}},
		{"a confidence out of range", `{"evidence":{"quote":"q","url":"https://example.org/x","confidence":7}}`, []string{"--confidence: "}, []string{"evidence.confidence"}},
		{"nothing to change", `{}`, []string{"say what the correction changes"}, []string{"--data"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := producers.Correction(target, []byte(tc.patch), producers.AnalystSourceOf("ana"), time.Now())
			if err == nil {
				t.Fatal("the correction was accepted")
			}
			var out bytes.Buffer
			printFieldErrors(&out, err, correctionFlags)
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("%q lacks %q", out.String(), w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(out.String(), n) {
					t.Errorf("%q names %q", out.String(), n)
				}
			}
		})
	}
}

// TestReviewBelowFlag: the threshold the three commands take.
func TestReviewBelowFlag(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    float64
		ok   bool
	}{
		{"the default", 0.7, true},
		{"one", 1, true},
		{"zero, which the options would read as the default", 0, false},
		{"negative", -0.1, false},
		{"above one", 1.5, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := checkReviewBelow(tc.v); (err == nil) != tc.ok {
				t.Fatalf("checkReviewBelow(%v) = %v", tc.v, err)
			}
		})
	}
}

// TestServeEndsWhenAPartStops: serve ends without error on a signal, and
// with an error naming the part when its HTTP server (a real one, whose
// listener is closed under it) or its projection worker stops by itself.
func TestServeEndsWhenAPartStops(t *testing.T) {
	for _, tc := range []struct {
		name string
		stop func(cancel context.CancelFunc, ln net.Listener, workErr chan error)
		want string // "" for no error
	}{
		{"a signal", func(cancel context.CancelFunc, _ net.Listener, _ chan error) { cancel() }, ""},
		{"the HTTP server's listener closes", func(_ context.CancelFunc, ln net.Listener, _ chan error) { ln.Close() }, "the HTTP server stopped"},
		{"the worker fails", func(_ context.CancelFunc, _ net.Listener, workErr chan error) { workErr <- errors.New("store closed") }, "the projection worker stopped: store closed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			srv := &http.Server{Handler: http.NotFoundHandler()}
			httpErr, workErr := make(chan error, 1), make(chan error, 1)
			go func() { httpErr <- srv.Serve(ln) }()
			t.Cleanup(func() { srv.Close() })
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			tc.stop(cancel, ln, workErr)
			err = untilEnd(ctx, httpErr, workErr)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("serve ended with %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("serve ended with %v, want %q", err, tc.want)
			}
		})
	}
}
