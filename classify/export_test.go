package classify

import (
	"bytes"
	"encoding/csv"
	"hash/crc32"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/ecgkit/ecg/internal/refdata"

	"github.com/ecgkit/ecg/datasets"
)

// TestExportDS1 writes the DS1 beat features with a record-grouped
// train/test split to $ECG_EXPORT_CSV (for comparing learners outside the
// repository, e.g. golearn) and times our forest on the same split.
func TestExportDS1(t *testing.T) {
	path := os.Getenv("ECG_EXPORT_CSV")
	if path == "" {
		t.Skip("set ECG_EXPORT_CSV=file.csv")
	}
	ds1 := aamiBeats(t, refdata.MITDB(t), aamiDS1)
	train, _, err := datasets.SplitByGroup(ds1.Y, ds1.Groups, 4, 0.75, 1)
	if err != nil {
		t.Fatal(err)
	}
	isTrain := make([]bool, len(ds1.Y))
	for _, i := range train {
		isTrain[i] = true
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.Write(append(append([]string{"split"}, BeatFeatureNames...), "class"))
	for i, row := range ds1.X {
		rec := []string{"test"}
		if isTrain[i] {
			rec[0] = "train"
		}
		for _, v := range row {
			rec = append(rec, strconv.FormatFloat(v, 'g', -1, 64))
		}
		w.Write(append(rec, aamiLab[ds1.Y[i]]))
	}
	w.Flush()
	f.Close()
	var trX, teX [][]float64
	var trY, teY []int
	for i := range ds1.X {
		if isTrain[i] {
			trX, trY = append(trX, ds1.X[i]), append(trY, ds1.Y[i])
		} else {
			teX, teY = append(teX, ds1.X[i]), append(teY, ds1.Y[i])
		}
	}
	for _, seed := range []uint64{1, 1, 2} {
		st := time.Now()
		fr, _, err := TrainForest(trX, trY, 4, ForestOptions{Trees: 50, Seed: seed, Jobs: 1})
		if err != nil {
			t.Fatal(err)
		}
		tt := time.Since(st)
		st = time.Now()
		scores := make([][]float64, len(teX))
		for i, x := range teX {
			scores[i] = fr.PredictProba(nil, x)
		}
		pt := time.Since(st)
		rep, _ := Evaluate(aamiLab, teY, scores, 0)
		var buf bytes.Buffer
		m := &Model{forest: fr, Info: ModelInfo{Labels: aamiLab}}
		if err := m.Save(&buf); err != nil {
			t.Fatal(err)
		}
		t.Logf("ours seed %d: train %d rows %.2fs (1 job), predict %d rows %.3fs, model %d bytes crc %08x, %s", seed, len(trX), tt.Seconds(), len(teX), pt.Seconds(), buf.Len(), crc32.ChecksumIEEE(buf.Bytes()[:buf.Len()-4]), aamiLine(rep))
	}
}
