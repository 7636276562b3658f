package handlers_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestAPIBadTextNamesTheField: the API's 400 for a query value that is not
// text names the parameter, as for any other bad value.
func TestAPIBadTextNamesTheField(t *testing.T) {
	a := newApp(t)
	for param, path := range map[string]string{"city": "/api/v1/report?city=%00", "country": "/api/v1/report?country=%C0"} {
		res := a.client().get(path)
		wantStatus(t, res, http.StatusBadRequest)
		var body map[string]string
		if err := json.Unmarshal([]byte(res.body), &body); err != nil {
			t.Fatalf("%s: not JSON: %s", path, res.body)
		}
		if body["field"] != param || !strings.Contains(body["error"], param) {
			t.Errorf("%s: body = %s, want an error naming %s", path, res.body, param)
		}
	}
}
