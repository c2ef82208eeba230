package datasets

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"reflect"
	"slices"
)

// MaxParamsBytes bounds the parameter files (ParamsName) that are read
// (1 MiB; ecg spectro writes well under 1 KiB): SharedParams here, the
// rendering settings of an archive in classify.
const MaxParamsBytes = 1 << 20

// SharedParams returns the parameter file (ParamsName) of a folder that
// joins archives (their label folders and manifests in one folder, as
// make model-image joins the CinC and MIT-BIH archives), given the
// archives' parameter files at paths: the entries that every file holds
// with equal values (the rendering and the stride; not the labels, which
// differ), as indented JSON with sorted keys and a final newline, as an
// archive writes it. Values compare as decoded JSON (30 and 30.0 are
// equal).
//
// The entries named by agree (the rendering: spectro.ParamSTFT and
// spectro.ParamImage) must be alike in every file, since images rendered
// otherwise do not belong together: one that a file lacks or holds with
// another value than the first file is an error naming that file and the
// field ("stft_at_360hz.nperseg"), with both values. A file that cannot be
// read, is not a JSON object or is over 1 MiB is an error naming it.
func SharedParams(paths []string, agree ...string) ([]byte, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("archive parameters: no file given")
	}
	files := make([]map[string]any, len(paths))
	for i, path := range paths {
		p, err := readParamsFile(path)
		if err != nil {
			return nil, err
		}
		files[i] = p
	}
	for i := 1; i < len(files); i++ {
		for _, key := range agree {
			a, inA := files[0][key]
			b, inB := files[i][key]
			if da, db, ok := firstDifference(fieldValue{key, a, inA}, fieldValue{key, b, inB}); !ok {
				return nil, fmt.Errorf("%s: %s is %s, %s's is %s: the archives were rendered otherwise (render them with the same ecg spectro flags)",
					paths[i], db.name, db, paths[0], da)
			}
		}
	}
	shared := map[string]any{}
	for key, v := range files[0] {
		alike := true
		for _, f := range files[1:] {
			w, ok := f[key]
			alike = alike && ok && reflect.DeepEqual(v, w)
		}
		if alike {
			shared[key] = v
		}
	}
	out, err := json.MarshalIndent(shared, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("archive parameters: %w", err)
	}
	return append(out, '\n'), nil
}

// readParamsFile reads the JSON object of a parameter file, at most
// MaxParamsBytes of it.
func readParamsFile(path string) (map[string]any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxParamsBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxParamsBytes {
		return nil, fmt.Errorf("%s: over %d bytes: not an archive's parameter file", path, MaxParamsBytes)
	}
	var p map[string]any
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// fieldValue is a field of a parameter file: its name (name.key inside
// objects), its value and whether the file holds it.
type fieldValue struct {
	name string
	v    any
	in   bool
}

// String is the value as compact JSON, "none" when the file lacks it.
func (f fieldValue) String() string {
	b, err := json.Marshal(f.v)
	if !f.in || err != nil {
		return "none"
	}
	return string(b)
}

// firstDifference compares the same field of two files and returns, when
// they differ, the first subfield in which they do (keys of objects in
// sorted order), as each file holds it; ok when they are alike.
func firstDifference(a, b fieldValue) (da, db fieldValue, ok bool) {
	ma, objA := a.v.(map[string]any)
	mb, objB := b.v.(map[string]any)
	switch {
	case a.in != b.in:
		return a, b, false
	case !objA || !objB:
		return a, b, reflect.DeepEqual(a.v, b.v)
	}
	both := maps.Clone(ma)
	maps.Copy(both, mb)
	for _, k := range slices.Sorted(maps.Keys(both)) {
		va, inA := ma[k]
		vb, inB := mb[k]
		name := a.name + "." + k
		if da, db, ok := firstDifference(fieldValue{name, va, inA}, fieldValue{name, vb, inB}); !ok {
			return da, db, false
		}
	}
	return a, b, true
}
