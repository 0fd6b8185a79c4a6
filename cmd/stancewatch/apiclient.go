package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

// apiClient talks to a running server's HTTP API.
type apiClient struct {
	base   string
	token  string
	client *http.Client
	err    error
}

// addAPIFlags adds --api, --token and --api-ca, and returns a function
// that makes the client once flags are parsed.
func addAPIFlags(fs *flag.FlagSet) func() *apiClient {
	base := fs.String("api", envOr("STANCEWATCH_API", "http://127.0.0.1:8080"), "the stancewatch HTTP API [$STANCEWATCH_API]")
	token := fs.String("token", "", "bearer token for the API [$STANCEWATCH_TOKEN]")
	ca := fs.String("api-ca", os.Getenv("STANCEWATCH_API_CA"), "CA file to verify the API's TLS certificate [$STANCEWATCH_API_CA]")
	return func() *apiClient {
		c := &apiClient{base: strings.TrimSuffix(*base, "/"), token: *token, client: &http.Client{}}
		if c.token == "" {
			c.token = os.Getenv("STANCEWATCH_TOKEN")
		}
		if *ca != "" {
			pem, err := os.ReadFile(*ca)
			if err != nil {
				c.err = fmt.Errorf("--api-ca: %v", err)
				return c
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				c.err = fmt.Errorf("--api-ca %s: no certificate in it", *ca)
				return c
			}
			c.client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
		}
		return c
	}
}

// do sends a request and returns the response (status 2xx) or an error
// with the API's message.
func (c *apiClient) do(ctx context.Context, method, path string) (*http.Response, error) {
	if c.err != nil {
		return nil, c.err
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%v (is `stancewatch serve` running? --api)", err)
	}
	if resp.StatusCode >= 300 {
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		return nil, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, problemText(b))
	}
	return resp, nil
}

// get reads a whole answer.
func (c *apiClient) get(ctx context.Context, path string) ([]byte, error) {
	resp, err := c.do(ctx, http.MethodGet, path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, 256<<20))
}

// problemText is what an error answer says: an RFC 9457 Problem's detail
// (or its title), each wrong field on a line of its own when the detail
// does not already name them, or the body as it is when it is not a
// Problem.
func problemText(b []byte) string {
	var p struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
		Fields []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"fields"`
	}
	if err := json.Unmarshal(b, &p); err != nil || (p.Detail == "" && p.Title == "") {
		return strings.TrimSpace(string(b))
	}
	msg := p.Detail
	if msg == "" {
		msg = p.Title
	}
	for _, f := range p.Fields {
		if line := f.Field + ": " + f.Message; !strings.Contains(msg, line) {
			msg += "\n  " + line
		}
	}
	return msg
}
