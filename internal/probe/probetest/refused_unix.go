//go:build unix

package probetest

import (
	"fmt"
	"syscall"
	"testing"
)

// RefusedAddress is a loopback address where nothing listens, reserved until the test ends: a
// socket bound to it that never listens, so connections are refused and no other test's
// server can be given the port meanwhile (a listener closed at once freed it for the next
// 127.0.0.1:0, and a CI run probed a slow server there instead).
func RefusedAddress(t testing.TB) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	in4, ok := sa.(*syscall.SockaddrInet4)
	if !ok {
		t.Fatalf("bound socket has address %T", sa)
	}
	return fmt.Sprintf("127.0.0.1:%d", in4.Port)
}
