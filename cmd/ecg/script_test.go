package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript run `ecg` as a command of its scripts
// (testdata/script/*.txtar, one script per user story): a copy of this
// test binary that runs main, signal handling and exit code included.
func TestMain(m *testing.M) {
	testscript.Main(removeBenchDirsAfter{m}, map[string]func(){
		"ecg": func() {
			interruptWhen(os.Getenv("ECG_TEST_INTERRUPT"))
			main()
		},
	})
}

// interruptWhen lets a script interrupt ecg midway as Ctrl-C would: with
// ECG_TEST_INTERRUPT="GLOB N", the process sends itself SIGINT once N files
// match GLOB. Empty: nothing.
func interruptWhen(spec string) {
	if spec == "" {
		return
	}
	glob, count, ok := strings.Cut(spec, " ")
	n, err := strconv.Atoi(count)
	if !ok || err != nil {
		fmt.Fprintf(os.Stderr, "ECG_TEST_INTERRUPT=%q: want \"GLOB N\"\n", spec)
		os.Exit(99)
	}
	go func() {
		for {
			if m, _ := filepath.Glob(glob); len(m) >= n {
				syscall.Kill(os.Getpid(), syscall.SIGINT)
				return
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// Scripts that need the reference database find it in $SHARED
			// and skip without it: [!mitdb] skip.
			env.Setenv("SHARED", sharedDir())
			// "ecg datasets fetch --base-url $FETCHURL" downloads from a
			// local server (fetchServer).
			srv := fetchServer()
			env.Defer(srv.Close)
			env.Setenv("FETCHURL", srv.URL)
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond == "mitdb" {
				_, err := os.Stat(filepath.Join(sharedDir(), "data", "mitdb", "RECORDS"))
				return err == nil, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode":      cmdExitcode,
			"truncate":      cmdTruncate,
			"complete-pngs": cmdCompletePNGs,
		},
	})
}

// cmdExitcode is the scripts' one way to assert an exit code:
//
//	exitcode N program [args...]
//
// runs program as exec does (its stdout and stderr are kept for the
// stdout and stderr commands) and fails unless it exits with code N
// (internal/cli/cmdutil/exit.go: 0 ok, 1 error, 2 usage, 3 partial, 130 interrupted).
// When N is not 0, stderr must also start as every ecg error does
// ("ecg [command]: ...") and show no panic; a usage error (2) prints
// nothing on stdout.
func cmdExitcode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode %q: want a number", args[0])
	}
	got := 0
	var ee *exec.ExitError
	if err := ts.Exec(args[1], args[2:]...); errors.As(err, &ee) {
		got = ee.ExitCode()
	} else if err != nil {
		ts.Fatalf("%v", err)
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
	stderr := ts.ReadFile("stderr")
	if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") {
		ts.Fatalf("stderr shows a panic")
	}
	if want != 0 && !errorLine.MatchString(stderr) {
		ts.Fatalf("stderr %q does not start with \"ecg [command]: \"", stderr)
	}
	if want == cmdutil.ExitUsage && ts.ReadFile("stdout") != "" {
		ts.Fatalf("a usage error printed on stdout")
	}
}

// cmdTruncate cuts a file to a size in bytes: truncate file size.
func cmdTruncate(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: truncate file size")
	}
	size, err := strconv.ParseInt(args[1], 10, 64)
	if err != nil {
		ts.Fatalf("truncate %s: size %q: %v", args[0], args[1], err)
	}
	ts.Check(os.Truncate(ts.MkAbs(args[0]), size))
}

// cmdCompletePNGs checks an output folder after a run:
//
//	complete-pngs dir [count]
//
// fails on a temporary file left behind (a name starting with "." or
// holding ".tmp"), on a .png that does not decode, and when there is no
// .png (or not count of them). It sets $PNGS to the number of images.
func cmdCompletePNGs(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: complete-pngs dir [count]")
	}
	entries, err := os.ReadDir(ts.MkAbs(args[0]))
	ts.Check(err)
	n := 0
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || strings.Contains(name, ".tmp") {
			ts.Fatalf("temporary file left behind: %s", name)
		}
		if filepath.Ext(name) != ".png" {
			continue
		}
		f, err := os.Open(filepath.Join(ts.MkAbs(args[0]), name))
		ts.Check(err)
		_, err = png.Decode(f)
		f.Close()
		if err != nil {
			ts.Fatalf("%s: not a complete PNG: %v", name, err)
		}
		n++
	}
	if n == 0 || (len(args) == 2 && strconv.Itoa(n) != args[1]) {
		ts.Fatalf("%s: %d images", args[0], n)
	}
	ts.Setenv("PNGS", strconv.Itoa(n))
}

// fetchServer serves three databases the way PhysioNet does (files under
// /db/version/, a SHA256SUMS.txt listing them): gooddb/1.0.0 is whole,
// baddb/1.0.0 lists evil.hea with a SHA-256 its bytes do not have,
// escdb/1.0.0 lists a file outside the database directory (../../y).
func fetchServer() *httptest.Server {
	sum := func(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }
	files := map[string][]byte{
		"RECORDS":   []byte("100\n"),
		"100.hea":   []byte("100 1 360 3\n100.dat 16 200 16 0 0 0 0 MLII\n"),
		"100.dat":   {1, 0, 2, 0, 3, 0},
		"evil.hea":  []byte("not what the sums say\n"),
		"x/../../y": []byte("outside"),
	}
	sums := map[string]string{
		"gooddb/1.0.0": sum(files["RECORDS"]) + "  RECORDS\n" + sum(files["100.hea"]) + "  100.hea\n" + sum(files["100.dat"]) + "  100.dat\n",
		"baddb/1.0.0":  sum(files["RECORDS"]) + "  RECORDS\n" + sum([]byte("something else")) + "  evil.hea\n",
		"escdb/1.0.0":  sum(files["RECORDS"]) + "  RECORDS\n" + sum(files["x/../../y"]) + "  ../../y\n",
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for db, s := range sums {
			name, ok := strings.CutPrefix(r.URL.Path, "/"+db+"/")
			if !ok {
				continue
			}
			if name == "SHA256SUMS.txt" {
				io.WriteString(w, s)
				return
			}
			if b, ok := files[name]; ok {
				w.Write(b)
				return
			}
		}
		http.NotFound(w, r)
	}))
}
