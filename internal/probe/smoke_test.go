package probe

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestSmoke(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) }))
	srv.Config.IdleTimeout = 700 * time.Millisecond
	srv.Start()
	defer srv.Close()
	res, err := Run(context.Background(), Target{Address: srv.Listener.Addr().String()}, Options{MaxWait: 3 * time.Second, RequestCap: 50})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v cap=%+v", res, *res.Cap)
}
