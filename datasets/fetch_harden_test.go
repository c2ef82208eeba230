package datasets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostileServer serves a SHA256SUMS.txt listing and file bodies from
// handlers, as a hostile or broken server would.
func hostileServer(t *testing.T, sums string, file func(w http.ResponseWriter, r *http.Request, name string)) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/files/mitdb/1.0.0/")
		if name == "SHA256SUMS.txt" {
			fmt.Fprint(w, sums)
			return
		}
		file(w, r, name)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/files"
}

func sumLine(b []byte, name string) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:]) + "  " + name + "\n"
}

// A listed name must resolve inside --dir: ".", "..", absolute paths,
// separators and hidden names are refused before anything is written
// (issue 19, item 7).
func TestFetchRefusesNamesOutsideDir(t *testing.T) {
	body := []byte("server-chosen bytes")
	for _, name := range []string{".", "..", "./", "a/.", "/etc/x", `..\x`, `a\b`, "C:x", ".hidden", "a/.x.part", "a//b", "a/", "x\x01y"} {
		parent := t.TempDir()
		dir := filepath.Join(parent, "db")
		base := hostileServer(t, sumLine(body, name), func(w http.ResponseWriter, r *http.Request, _ string) { w.Write(body) })
		_, err := Fetch(context.Background(), FetchOptions{Base: base, Database: "mitdb", Dir: dir})
		if err == nil {
			t.Errorf("listing %q: no error", name)
		}
		ents, _ := os.ReadDir(parent)
		if len(ents) > 1 {
			t.Errorf("listing %q: %d entries beside --dir", name, len(ents))
		}
		inside, _ := os.ReadDir(dir)
		if len(inside) != 0 {
			t.Errorf("listing %q: %d files written in --dir", name, len(inside))
		}
	}
	if _, err := parseSums(strings.NewReader(sumLine(body, "a")+sumLine(body, "a")), "SHA256SUMS.txt"); err == nil {
		t.Error("a name listed twice: no error")
	}
}

// A body that goes on past MaxFileBytes (no Content-Length) is cut off,
// refused, and its part file deleted; a Content-Length over the limit is
// refused before reading.
func TestFetchCutsOffEndlessBody(t *testing.T) {
	real := []byte("143 bytes, say")
	chunk := make([]byte, 32<<10)
	base := hostileServer(t, sumLine(real, "100.hea"), func(w http.ResponseWriter, r *http.Request, _ string) {
		for i := 0; i < 1000 && r.Context().Err() == nil; i++ { // 32 MB, chunked
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	dir := t.TempDir()
	_, err := Fetch(context.Background(), FetchOptions{Base: base, Database: "mitdb", Dir: dir, MaxFileBytes: 1 << 20})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "100.hea") {
		t.Fatalf("endless body: %v, want ErrTooLarge naming the file", err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 0 {
		t.Fatalf("%d files left in --dir after a refused body", len(ents))
	}

	base = hostileServer(t, sumLine(real, "100.hea"), func(w http.ResponseWriter, r *http.Request, _ string) {
		w.Header().Set("Content-Length", "2000000")
		w.WriteHeader(http.StatusOK)
	})
	_, err = Fetch(context.Background(), FetchOptions{Base: base, Database: "mitdb", Dir: dir, MaxFileBytes: 1 << 20})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "Content-Length") {
		t.Fatalf("Content-Length over the limit: %v", err)
	}
}

// A listing with X and X.part fetches both: no temporary file can be a
// listed one.
func TestFetchPartNamesCannotCollide(t *testing.T) {
	files := map[string][]byte{"X": []byte("the real X"), "X.part": []byte("a file that happens to end in .part")}
	srv, _ := physionetServer(t, files, nil)
	dir := t.TempDir()
	res, err := Fetch(context.Background(), FetchOptions{Base: srv.URL + "/files", Database: "mitdb", Dir: dir})
	if err != nil || res.Downloaded != 2 {
		t.Fatalf("%+v, %v", res, err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != string(want) {
			t.Errorf("%s: %q, %v", name, got, err)
		}
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Errorf("%d entries in --dir, want 2", len(ents))
	}
}

// FuzzParseSums parses arbitrary listings: no panic, and every accepted
// name stays inside the directory.
func FuzzParseSums(f *testing.F) {
	h := strings.Repeat("ab", 32)
	for _, s := range []string{
		h + "  100.dat\n" + h + " *x/101.atr\n",
		h + "  .\n", h + "  ../x\n", "# comment\n\n" + h + "  ./RECORDS\r\n",
		h + "  a\\b\n", h + "  X\n" + h + "  X.part\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		es, err := parseSums(strings.NewReader(string(data)), "SHA256SUMS.txt")
		if err != nil {
			return
		}
		root := filepath.Join(string(filepath.Separator), "db")
		for _, e := range es {
			local := filepath.Join(root, filepath.FromSlash(e.name))
			rel, err := filepath.Rel(root, local)
			if err != nil || rel == "." || strings.HasPrefix(rel, "..") || filepath.Dir(partName(local)) != filepath.Dir(local) {
				t.Fatalf("name %q resolves to %q", e.name, local)
			}
			if len(e.sum) != 64 {
				t.Fatalf("sum %q", e.sum)
			}
		}
	})
}
