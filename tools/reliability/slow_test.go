package reliability

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSlowClients: ten clients that send their request bodies at one byte
// a second are answered 408 and disconnected when server.body_timeout
// passes (issue 14, item 5: they were all still connected after 30 s).
// The test sets the timeout to 2 s; the default is 30 s.
func TestSlowClients(t *testing.T) {
	t.Parallel() // mostly waiting, or measuring one process
	const timeout = 2 * time.Second
	s := serve(t, "[features]\nprediction = false\n", "--body-timeout", timeout.String())
	addr := strings.TrimPrefix(s.url, "http://")
	const clients = 10
	type result struct {
		cut    time.Duration
		status int
		sent   int
		err    error
	}
	res := make([]result, clients)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				res[i].err = err
				return
			}
			defer conn.Close()
			fmt.Fprintf(conn, "POST /v1/convert HTTP/1.1\r\nHost: %s\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\n", addr)
			start := time.Now()
			go func() { // one byte a second, until the server hangs up
				for b := 0; ; b++ {
					if _, err := conn.Write([]byte{0x89}); err != nil {
						return
					}
					res[i].sent = b + 1
					time.Sleep(time.Second)
				}
			}()
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				res[i].err = err
				return
			}
			resp.Body.Close()
			res[i].status = resp.StatusCode
			// The server closes the connection after its answer.
			conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, err := conn.Read(make([]byte, 1)); err == nil {
				res[i].err = fmt.Errorf("connection still open after the 408")
			}
			res[i].cut = time.Since(start)
		})
	}
	wg.Wait()
	lo, hi := time.Hour, time.Duration(0)
	for i, r := range res {
		if r.err != nil || r.status != 408 || r.cut < timeout-100*time.Millisecond || r.cut > timeout+time.Second { // the server may start its clock a hair before this client does
			t.Errorf("client %d: %d after %v (%d bytes sent): %v; want 408 and a closed connection %v after its headers", i, r.status, r.cut, r.sent, r.err, timeout)
		}
		lo, hi = min(lo, r.cut), max(hi, r.cut)
	}
	figure(t, "10 clients sending their bodies at 1 byte/s, server.body_timeout = 2 s", "all 408 and disconnected %.2f–%.2f s after their headers", lo.Seconds(), hi.Seconds())
}
