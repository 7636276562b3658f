package store_test

import (
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// TestMain removes the migrated database the tests copy once they are done.
func TestMain(m *testing.M) { storetest.Main(m) }
