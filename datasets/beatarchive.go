package datasets

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// IsBeatWindowArchive reports whether dir is an archive of beat windows,
// one image per beat (ecg spectro --label aami): its parameter file
// (ParamsName) says so. Anything unreadable is not one.
func IsBeatWindowArchive(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, ParamsName))
	if err != nil {
		return false
	}
	var p struct {
		Label LabelMode `json:"label"`
	}
	return json.Unmarshal(b, &p) == nil && p.Label == LabelAAMI
}
