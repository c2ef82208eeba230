package classify

// RecordView is a cross-validation evaluated per record rather than per
// file (CVResult.PerRecord): a record's out-of-fold probabilities are the
// mean of its files' (the windows an archive cut from one recording, all
// scored by the model of the record's fold), its prediction their argmax.
// The Challenge F1 of CinC 2017 is counted so, one row per recording.
type RecordView struct {
	// Records is the number of records.
	Records int `json:"records"`
	// Report evaluates the records' mean probabilities pooled over folds.
	Report *Report `json:"pooled"`
	// PerFold evaluates each fold's records (Files counts their files);
	// MacroF1 is the mean and spread of the folds' macro F1s.
	PerFold []FoldResult `json:"per_fold"`
	MacroF1 MeanSD       `json:"fold_macro_f1"`
	// PooledScore and Score: the mean F1 of the score labels per record,
	// pooled and over the folds (as CVResult's).
	PooledScore float64 `json:"pooled_score,omitempty"`
	Score       *MeanSD `json:"fold_score,omitempty"`
}

// oofRows are out-of-fold rows to evaluate: each row's label index, record
// group, fold and scores, and, for rows that stand for several files, the
// number of files (nil: one each).
type oofRows struct {
	y      []int
	groups []string
	fold   []int
	files  []int
	scores [][]float64
}

// filesOf is the number of files row i stands for.
func (o oofRows) filesOf(i int) int {
	if o.files == nil {
		return 1
	}
	return o.files[i]
}

// recordRowsOf returns one row per record group of files, in the order
// of each group's first file: the group's label and fold, its number of
// files and the mean of its files' scores (summed in file order, then
// divided by the count). ok is false, and no rows are made, when every
// group has a single file (the rows would be the files again) or when a
// group's files have two labels or two folds (strides of one record
// labelled by rhythm: a record has no one label to score).
func recordRowsOf(files oofRows) (recs oofRows, ok bool) {
	index := make(map[string]int)
	several := false
	for i, g := range files.groups {
		r, seen := index[g]
		if !seen {
			index[g] = len(recs.y)
			recs.y = append(recs.y, files.y[i])
			recs.groups = append(recs.groups, g)
			recs.fold = append(recs.fold, files.fold[i])
			recs.files = append(recs.files, 1)
			recs.scores = append(recs.scores, append([]float64(nil), files.scores[i]...))
			continue
		}
		if recs.y[r] != files.y[i] || recs.fold[r] != files.fold[i] || len(recs.scores[r]) != len(files.scores[i]) {
			return oofRows{}, false
		}
		recs.files[r]++
		several = true
		for j, v := range files.scores[i] {
			recs.scores[r][j] += v
		}
	}
	if !several {
		return oofRows{}, false
	}
	for r, s := range recs.scores {
		n := float64(recs.files[r])
		for j := range s {
			s[j] /= n
		}
	}
	return recs, true
}
