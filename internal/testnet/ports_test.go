package testnet

import (
	"net"
	"strconv"
	"testing"
)

func TestAddrsAreDistinctFreeAndOutsideTheEphemeralRange(t *testing.T) {
	addrs := Addrs(t, 50)
	seen := map[string]bool{}
	for _, a := range addrs {
		if seen[a] {
			t.Fatalf("%s handed out twice", a)
		}
		seen[a] = true
		_, p, err := net.SplitHostPort(a)
		if err != nil {
			t.Fatal(err)
		}
		port, _ := strconv.Atoi(p)
		if port < lowPort || port >= highPort {
			t.Fatalf("port %d outside %d–%d", port, lowPort, highPort-1)
		}
		ln, err := net.Listen("tcp", a)
		if err != nil {
			t.Fatalf("%s not free after Addrs returned: %v", a, err)
		}
		ln.Close()
	}
}
