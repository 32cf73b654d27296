// Package probe measures how a running HTTP/1.x server ends keep-alive connections: how long an
// idle connection stays open after a response, and how many responses one connection carries
// before the server ends it. The provider's nginxkeepalive_probe data source and the lab use it,
// so a number in a plan and a number in the lab come from the same code. No Terraform types here.
//
// Every read and write has a deadline, the whole probe ends by its context's deadline (or
// MaxWait plus Grace), and a cancelled context stops it at once.
package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"sync"
	"syscall"
	"time"
)

// Limits of one probe. The provider's schema and messages name them, so they live here once.
const (
	DefaultSamples         = 3
	MaxSamples             = 16
	DefaultMaxWait         = 75 * time.Second
	LimitMaxWait           = 10 * time.Minute
	DefaultRequestCap      = 200
	LimitRequestCap        = 10000
	MaxHeaderBytes         = 64 << 10 // response headers larger than this are refused
	MaxBodyBytes           = 1 << 20  // response bodies are drained up to this, then refused
	DefaultResponseTimeout = 10 * time.Second
	DialTimeout            = 5 * time.Second
	Grace                  = 5 * time.Second // what a probe may run beyond MaxWait
	CapBudget              = 4 * time.Second // how long the request-cap probe may run, after the idle wait (inside Grace)
	defaultUserAgent       = "nginxkeepalive-probe"
	unsolicitedDrainBytes  = 64 << 10
)

// Close is how a connection ended.
type Close string

// The ways a connection ends, as the data source reports them.
const (
	CloseFIN             Close = "fin"              // the server closed the socket
	CloseRST             Close = "rst"              // the server reset the socket
	CloseConnectionClose Close = "connection_close" // the response said Connection: close
	CloseOpen            Close = "open"             // still open when the probe stopped waiting
)

// Target is one server to probe.
type Target struct {
	Address string            // host:port dialled
	Host    string            // Host header; Address when empty
	Path    string            // request path; "/" when empty
	Method  string            // GET or HEAD; GET when empty
	Headers map[string]string // extra request headers
	TLS     *tls.Config       // nil: plain HTTP
}

// Options bound one probe; zero values take the defaults above.
type Options struct {
	Samples    int           // parallel connections for the idle measurement
	MaxWait    time.Duration // how long an idle connection is watched
	RequestCap int           // most requests sent on one connection to find a cap; 0 = the default
	NoCapProbe bool          // skip the cap probe (request_cap_probe = 0)
	// ResponseTimeout bounds each request from its write to its last response byte.
	ResponseTimeout time.Duration
	// Spread staggers the samples' requests over this long (0: all at once, a burst like
	// nginx's). A server that closes idle connections on a timer tick (gunicorn's loop polls once
	// a second) closes a burst's connections together, up to a tick after their deadline; spread
	// over a tick, the earliest sample lands near the deadline itself. SampleSpread is the
	// data source's.
	Spread time.Duration
}

// SampleSpread is how the data source staggers its samples: over one second, the period of the
// tick-based idle sweeps seen in the lab (gunicorn, Tomcat).
const SampleSpread = time.Second

// WithDefaults is the options a probe runs with: each zero value replaced by its default.
func (o Options) WithDefaults() Options {
	if o.Samples <= 0 {
		o.Samples = DefaultSamples
	}
	if o.MaxWait <= 0 {
		o.MaxWait = DefaultMaxWait
	}
	if o.RequestCap <= 0 {
		o.RequestCap = DefaultRequestCap
	}
	if o.NoCapProbe {
		o.RequestCap = 0
	}
	if o.ResponseTimeout <= 0 {
		o.ResponseTimeout = DefaultResponseTimeout
	}
	return o
}

// Sample is how one idle connection ended.
type Sample struct {
	Close Close
	// Idle is the time from the end of this connection's response to its close (or, when
	// open, how long it was watched).
	Idle time.Duration
	// AfterBurst is the time from the end of the last response of the burst to this close:
	// what a pause between bursts of requests through nginx must match to meet it.
	AfterBurst time.Duration
}

// Closed reports whether the server ended the connection.
func (s Sample) Closed() bool { return s.Close != CloseOpen }

// Cap is how many responses one connection carried.
type Cap struct {
	Responses int   // responses read on the connection
	Ended     bool  // the server ended the connection; false: the probe's limit or time came first
	Close     Close // how it ended (CloseOpen when it did not)
	// AnnouncedLast: the last response said Connection: close, so a client knows not to reuse it.
	AnnouncedLast bool
}

// Result is a whole probe.
type Result struct {
	Address     string
	Samples     []Sample
	Waited      time.Duration // how long idle connections were watched: MaxWait, or less when a deadline cut the wait short
	HTTPVersion string        // of the first response, e.g. "HTTP/1.1"
	Server      string        // the first response's Server header, "" when none
	Cap         *Cap          // nil when the cap was not probed
}

// Shortest is the earliest closed sample; ok is false when every sample stayed open.
func (r Result) Shortest() (s Sample, ok bool) {
	for _, c := range r.Samples {
		if c.Closed() && (!ok || c.Idle < s.Idle) {
			s, ok = c, true
		}
	}
	return s, ok
}

// Close is how the shortest-lived sample ended (CloseOpen when all stayed open).
func (r Result) Close() Close {
	if s, ok := r.Shortest(); ok {
		return s.Close
	}
	return CloseOpen
}

// Error is a probe that could not measure, naming the address and the step that failed.
type Error struct {
	Address string
	Step    string // e.g. "connect", "TLS handshake", "request 3"
	What    string // what happened, in words
	Err     error
}

func (e *Error) Error() string {
	return fmt.Sprintf("probe of %s failed at %s: %s", e.Address, e.Step, e.What)
}

func (e *Error) Unwrap() error { return e.Err }

// Validate checks the options against the limits above; zero values (the defaults) pass.
func (o Options) Validate() error {
	switch {
	case o.Samples < 0 || o.Samples > MaxSamples:
		return &InputError{Field: "samples", Value: fmt.Sprint(o.Samples), Reason: fmt.Sprintf("give 1 to %d parallel connections", MaxSamples)}
	case o.MaxWait < 0 || o.MaxWait > LimitMaxWait:
		return &InputError{Field: "max_wait", Value: o.MaxWait.String(), Reason: fmt.Sprintf("give at most %s", LimitMaxWait)}
	case o.RequestCap < 0 || o.RequestCap > LimitRequestCap:
		return &InputError{Field: "request_cap_probe", Value: fmt.Sprint(o.RequestCap), Reason: fmt.Sprintf("give 0 (do not look) to %d requests", LimitRequestCap)}
	}
	return nil
}

// Run probes the idle close with Samples parallel connections, then the request cap on one more
// connection. It returns within MaxWait plus Grace (or the context's deadline, when sooner).
func Run(ctx context.Context, t Target, o Options) (Result, error) {
	if err := t.Validate(); err != nil {
		return Result{Address: t.Address}, err
	}
	if err := o.Validate(); err != nil {
		return Result{Address: t.Address}, err
	}
	o = o.WithDefaults()
	ctx, cancel := context.WithDeadline(ctx, time.Now().Add(o.MaxWait+Grace))
	defer cancel()
	res, err := ProbeIdle(ctx, t, o)
	if err != nil || o.RequestCap == 0 {
		return res, err
	}
	// After the idle wait, not beside it: requests on another connection wake a server's idle
	// sweep (gunicorn's loop polls once a second) and made its idle close look up to a second
	// later than it is. CapBudget (inside Grace) bounds the cap probe; a cap not found by then
	// is reported as none found within the responses read.
	capCtx, cancelCap := context.WithTimeout(ctx, CapBudget)
	defer cancelCap()
	capRes, err := ProbeCap(capCtx, t, o)
	if err != nil {
		return res, err
	}
	res.Cap = &capRes
	return res, nil
}

// ProbeIdle mimics a burst through nginx: o.Samples connections send one request each at once,
// read their responses, then wait up to o.MaxWait for the server to close them.
func ProbeIdle(ctx context.Context, t Target, o Options) (Result, error) {
	o = o.WithDefaults()
	k, maxWait := o.Samples, o.MaxWait
	res := Result{Address: t.Address, Waited: maxWait}
	if err := t.Validate(); err != nil {
		return res, err
	}
	conns := make([]*conn, k)
	defer func() {
		for _, c := range conns {
			if c != nil {
				c.close()
			}
		}
	}()
	errs := make([]error, k)
	var wg sync.WaitGroup
	for i := range conns {
		wg.Go(func() { conns[i], errs[i] = dial(ctx, t, o.ResponseTimeout) })
	}
	wg.Wait()
	if err := firstError(errs); err != nil {
		return res, err
	}
	// Each sample sends its request (after its share of o.Spread) and watches its own idle
	// close at once; the first failure stops the others.
	sampleCtx, stop := context.WithCancel(ctx)
	defer stop()
	answers := make([]answer, k)
	res.Samples = make([]Sample, k)
	var mu sync.Mutex
	var failure error
	for i := range conns {
		wg.Go(func() {
			s, a, err := conns[i].sample(sampleCtx, o.Spread*time.Duration(i)/time.Duration(k), maxWait)
			res.Samples[i], answers[i] = s, a
			if err != nil {
				mu.Lock()
				if failure == nil {
					failure = err
				}
				mu.Unlock()
				stop()
			}
		})
	}
	wg.Wait()
	if failure != nil {
		if ctx.Err() != nil && !errors.Is(failure, ctx.Err()) {
			return res, stepError(ctx, t.Address, "idle wait", ctx.Err())
		}
		return res, failure
	}
	var burstEnd time.Time
	for _, a := range answers {
		if a.end.After(burstEnd) {
			burstEnd = a.end
		}
	}
	for i, a := range answers {
		res.Samples[i].AfterBurst = a.end.Add(res.Samples[i].Idle).Sub(burstEnd)
	}
	res.HTTPVersion, res.Server = answers[0].proto, answers[0].server
	// When the context's deadline cut a wait short, what the probe survived is that shorter wait.
	for _, s := range res.Samples {
		if !s.Closed() && s.Idle < res.Waited {
			res.Waited = s.Idle
		}
	}
	return res, nil
}

// ProbeCap sends requests one after another on one connection until the server ends it,
// o.RequestCap responses have come back, or the context's deadline passes (then Ended is false
// and there is no error). A cancelled context is an error.
func ProbeCap(ctx context.Context, t Target, o Options) (Cap, error) {
	o = o.WithDefaults()
	if err := t.Validate(); err != nil {
		return Cap{}, err
	}
	limit := max(o.RequestCap, 1)
	res := Cap{Close: CloseOpen}
	c, err := dial(ctx, t, o.ResponseTimeout)
	if err != nil {
		if outOfTime(ctx) {
			return res, nil
		}
		return res, err
	}
	defer c.close()
	for res.Responses < limit {
		a, err := c.roundTrip(ctx, res.Responses+1)
		switch {
		case err == nil:
		case res.Responses > 0 && isPeerClose(err):
			res.Ended, res.Close = true, peerClose(err)
			return res, nil
		case outOfTime(ctx):
			return res, nil // no cap within what the probe had time to send
		default:
			return res, err
		}
		res.Responses++
		if a.closeHeader {
			res.Ended, res.Close, res.AnnouncedLast = true, CloseConnectionClose, true
			return res, nil
		}
	}
	return res, nil
}

// firstError is nil when every err is; a cancellation is reported over the errors it caused on
// the other connections.
func firstError(errs []error) error {
	for _, err := range errs {
		if errors.Is(err, context.Canceled) {
			return err
		}
	}
	i := slices.IndexFunc(errs, func(err error) bool { return err != nil })
	if i < 0 {
		return nil
	}
	return errs[i]
}

// outOfTime reports whether the context's deadline has passed. A socket deadline set to the
// context's deadline can fire a moment before the context's own timer, so the clock decides.
func outOfTime(ctx context.Context) bool {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return true
	}
	d, ok := ctx.Deadline()
	return ok && ctx.Err() == nil && !time.Now().Before(d)
}

func dial(ctx context.Context, t Target, responseTimeout time.Duration) (*conn, error) {
	d := net.Dialer{Timeout: DialTimeout}
	raw, err := d.DialContext(ctx, "tcp", t.Address)
	if err != nil {
		return nil, dialError(ctx, t.Address, err)
	}
	if t.TLS == nil {
		return newConn(t, raw, responseTimeout), nil
	}
	cfg := t.TLS.Clone()
	cfg.NextProtos = []string{"http/1.1"} // the probe speaks HTTP/1.x, as nginx does to upstreams
	tc := tls.Client(raw, cfg)
	hctx, cancel := context.WithTimeout(ctx, responseTimeout)
	defer cancel()
	if err := tc.HandshakeContext(hctx); err != nil {
		_ = raw.Close()
		return nil, tlsError(ctx, t.Address, responseTimeout, err)
	}
	return newConn(t, tc, responseTimeout), nil
}

func dialError(ctx context.Context, addr string, err error) error {
	const step = "connect"
	var dnsErr *net.DNSError
	switch {
	case ctx.Err() != nil || outOfTime(ctx):
		return stepError(ctx, addr, step, err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return &Error{Address: addr, Step: step, What: "connection refused: nothing listens there; check the address and that the server is running", Err: err}
	case errors.As(err, &dnsErr):
		return &Error{Address: addr, Step: step, What: fmt.Sprintf("cannot resolve %q (%s); check the host name", dnsErr.Name, dnsErr.Err), Err: err}
	case errors.Is(err, os.ErrDeadlineExceeded):
		return &Error{Address: addr, Step: step,
			What: fmt.Sprintf("no answer to the connection attempt within %s; check the address and that no firewall drops the packets", DialTimeout), Err: err}
	}
	return stepError(ctx, addr, step, err)
}

func tlsError(ctx context.Context, addr string, timeout time.Duration, err error) error {
	const step = "TLS handshake"
	var (
		recErr  tls.RecordHeaderError
		authErr x509.UnknownAuthorityError
		hostErr x509.HostnameError
		invErr  x509.CertificateInvalidError
	)
	what := ""
	switch {
	case ctx.Err() != nil || outOfTime(ctx):
		return stepError(ctx, addr, step, err)
	case errors.As(err, &recErr):
		what = "the server does not answer in TLS (" + err.Error() + "); for a plain HTTP server use an http:// url and no tls block"
	case errors.As(err, &authErr):
		what = "the server's certificate is not trusted (" + err.Error() + "); give the CA that signed it as tls.ca_pem, or for a test server set tls.insecure_skip_verify = true"
	case errors.As(err, &hostErr):
		what = "the server's certificate is not for this name (" + err.Error() + "); set tls.server_name to a name the certificate holds"
	case errors.As(err, &invErr):
		what = "the server's certificate is not valid (" + err.Error() + ")"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		what = fmt.Sprintf("no TLS handshake within %s; check that this is the server's TLS port", timeout)
	case errors.Is(err, io.EOF), errors.Is(err, syscall.ECONNRESET):
		what = "the server ended the connection during the TLS handshake (" + err.Error() + "); check that this is its TLS port and the tls settings"
	default:
		what = "the TLS handshake failed: " + err.Error()
	}
	return &Error{Address: addr, Step: step, What: what, Err: err}
}
