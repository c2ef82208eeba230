package defaultmodel

import (
	"io"
	"testing"
)

func TestEmbedded(t *testing.T) {
	b, err := io.ReadAll(Open())
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 1000 || string(b[:8]) != "ECGMODEL" {
		t.Fatalf("embedded model: %d bytes, starts %q", len(b), b[:min(8, len(b))])
	}
}
