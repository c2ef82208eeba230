package datasets

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// physionetServer mimics PhysioNet's layout: /files/DB/VERSION/FILE, with
// SHA256SUMS.txt and Range support (http.ServeContent).
func physionetServer(t *testing.T, files map[string][]byte, corrupt map[string]bool) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var sums strings.Builder
	for name, b := range files {
		h := sha256.Sum256(b)
		fmt.Fprintf(&sums, "%s %s\n", hex.EncodeToString(h[:]), name)
	}
	var served atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/files/mitdb/1.0.0/", func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/files/mitdb/1.0.0/")
		if name == "SHA256SUMS.txt" {
			w.Write([]byte(sums.String()))
			return
		}
		b, ok := files[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if corrupt[name] {
			b = append([]byte("X"), b[1:]...)
		}
		served.Add(1)
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &served
}

func TestFetch(t *testing.T) {
	files := map[string][]byte{
		"RECORDS":   []byte("100\n"),
		"100.hea":   []byte("100 2 360 650000\r\n"),
		"100.dat":   bytes.Repeat([]byte{1, 2, 3}, 10000),
		"x/101.atr": []byte{0, 0},
	}
	srv, served := physionetServer(t, files, nil)
	dir := t.TempDir()
	opt := FetchOptions{Base: srv.URL + "/files", Database: "mitdb", Dir: dir}
	res, err := Fetch(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Files != 4 || res.Downloaded != 4 || res.Skipped != 0 {
		t.Fatalf("first run: %+v", res)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s: %d bytes, err %v", name, len(got), err)
		}
	}
	// Second run verifies and downloads nothing.
	before := served.Load()
	res, err = Fetch(context.Background(), opt)
	if err != nil || res.Skipped != 4 || served.Load() != before {
		t.Fatalf("second run: %+v, err %v, %d new requests", res, err, served.Load()-before)
	}
	// A partial download is resumed with a Range request.
	os.Remove(filepath.Join(dir, "100.dat"))
	os.WriteFile(filepath.Join(dir, "100.dat.part"), files["100.dat"][:12345], 0o644)
	res, err = Fetch(context.Background(), opt)
	if err != nil || res.Resumed != 1 || res.Downloaded != 1 {
		t.Fatalf("resume: %+v, err %v", res, err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "100.dat"))
	if !bytes.Equal(got, files["100.dat"]) {
		t.Fatal("resumed file differs")
	}
	if _, err := os.Stat(filepath.Join(dir, "100.dat.part")); !os.IsNotExist(err) {
		t.Fatal("part file left behind")
	}
}

func TestFetchChecksumMismatch(t *testing.T) {
	files := map[string][]byte{"100.dat": []byte("hello world")}
	srv, _ := physionetServer(t, files, map[string]bool{"100.dat": true})
	dir := t.TempDir()
	_, err := Fetch(context.Background(), FetchOptions{Base: srv.URL + "/files", Database: "mitdb", Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "100.dat") || !strings.Contains(err.Error(), "SHA-256") {
		t.Fatalf("err = %v, want a checksum error naming 100.dat", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "100.dat")); !os.IsNotExist(err) {
		t.Fatal("corrupt file kept in place")
	}
}

func TestParseSumsRejectsEscapes(t *testing.T) {
	h := strings.Repeat("a", 64)
	for _, bad := range []string{h + "  ../etc/passwd\n", h + "  /etc/passwd\n", "xyz  100.dat\n", h + "  a/../../b\n"} {
		if _, err := parseSums(strings.NewReader(bad), "SHA256SUMS.txt"); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestFetchUnknownDatabase(t *testing.T) {
	if _, err := Fetch(context.Background(), FetchOptions{Database: "nosuchdb", Dir: t.TempDir()}); err == nil {
		t.Fatal("no error for a database without a known version")
	}
	if _, err := Fetch(context.Background(), FetchOptions{Database: "../x", Version: "1", Dir: t.TempDir()}); err == nil {
		t.Fatal("no error for a database name with a path separator")
	}
}
