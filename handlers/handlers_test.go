package handlers_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestHealthz(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	res := a.client().get(t, "/healthz")
	wantStatus(t, res, http.StatusOK)
	if strings.TrimSpace(res.body) != `{"status":"ok"}` {
		t.Errorf("body = %s", res.body)
	}
	a.store.Close()
	res = a.client().get(t, "/healthz")
	wantStatus(t, res, http.StatusServiceUnavailable)
}
