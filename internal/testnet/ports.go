// Package testnet hands tests the loopback addresses they give to servers
// they start as separate processes or configure before starting.
package testnet

import (
	"fmt"
	"math/rand/v2"
	"net"
	"testing"
)

// The ports come from below Linux's ephemeral range (32768–60999), where
// the kernel never places an outgoing connection's local port nor a
// listener bound to port 0. A test that restarts a server on the same
// address many times (a crash test) would otherwise find it taken by a
// connection of its own, or be handed the port it already picked.
const (
	lowPort  = 20000
	highPort = 32768
)

// Addrs returns n distinct 127.0.0.1:port addresses that were free when
// chosen. Every chosen port is held open until all n are chosen, so no
// two are the same.
func Addrs(t testing.TB, n int) []string {
	t.Helper()
	var held []net.Listener
	defer func() {
		for _, ln := range held {
			ln.Close()
		}
	}()
	addrs := make([]string, 0, n)
	for tries := 0; len(addrs) < n; tries++ {
		if tries > 1000 {
			t.Fatalf("testnet: no free port in %d–%d after %d tries", lowPort, highPort-1, tries)
		}
		addr := fmt.Sprintf("127.0.0.1:%d", lowPort+rand.IntN(highPort-lowPort))
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			continue // taken; try another
		}
		held = append(held, ln)
		addrs = append(addrs, addr)
	}
	return addrs
}

// Addr returns one address as Addrs does.
func Addr(t testing.TB) string {
	t.Helper()
	return Addrs(t, 1)[0]
}
