package store

import "testing"

// TestReceiptCodeForgivesLookalikes: a learner who types 0 for O, 1 for I
// or 8 for B, in any case, with or without dashes, finds the same story;
// another letter does not.
func TestReceiptCodeForgivesLookalikes(t *testing.T) {
	t.Parallel()
	want := receiptHash("BOIL-AB2C-OOII-7BBO-QRST-XYZ2")
	for _, typed := range []string{"80IL-AB2C-0OII-7BBO-QRST-XYZ2", "b0il ab2c oo11 7bb0 qrst xyz2", "BOILAB2COOII7BBOQRSTXYZ2", "8o1l-a82c-0o1i-788o-qrst-xyz2"} {
		if receiptHash(typed) != want {
			t.Errorf("%q does not find the story", typed)
		}
	}
	if receiptHash("BOIL-AB2C-OOII-7BBO-QRST-XYZ3") == want {
		t.Error("another code finds the story")
	}
}
