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
// files and the mean of its files' scores (groupSums). ok is false, and no
// rows are made, when every group has a single file (the rows would be
// the files again) or when a group's files have two labels or two folds
// (strides of one record labelled by rhythm: a record has no one label to
// score).
func recordRowsOf(files oofRows) (recs oofRows, ok bool) {
	var sums groupSums
	for i, g := range files.groups {
		r, isNew, same := sums.add(g, files.scores[i])
		switch {
		case !same:
			return oofRows{}, false
		case isNew:
			recs.y = append(recs.y, files.y[i])
			recs.fold = append(recs.fold, files.fold[i])
		case recs.y[r] != files.y[i] || recs.fold[r] != files.fold[i]:
			return oofRows{}, false
		}
	}
	if len(sums.keys) == len(files.groups) {
		return oofRows{}, false
	}
	recs.groups, recs.files = sums.keys, sums.count
	for r := range sums.keys {
		recs.scores = append(recs.scores, sums.mean(r))
	}
	return recs, true
}

// groupSums adds up score vectors by group, in the order of each group's
// first vector, for the per-record means of cross-validation
// (recordRowsOf) and of ecg predict --per-record (RecordMeans): a group's
// mean is its vectors summed in the order added, then divided by their
// number, the same bits every run.
type groupSums struct {
	index map[string]int
	keys  []string    // the groups, in order of their first vector
	count []int       // vectors added per group
	sums  [][]float64 // their sums
}

// add adds scores to group key's sum and returns the group's index and
// whether scores are its first; same is false, and nothing is added, when
// scores are not as long as the group's earlier vectors.
func (g *groupSums) add(key string, scores []float64) (i int, isNew, same bool) {
	if g.index == nil {
		g.index = make(map[string]int)
	}
	i, seen := g.index[key]
	if !seen {
		i = len(g.keys)
		g.index[key] = i
		g.keys = append(g.keys, key)
		g.count = append(g.count, 1)
		g.sums = append(g.sums, append([]float64(nil), scores...))
		return i, true, true
	}
	if len(scores) != len(g.sums[i]) {
		return i, false, false
	}
	g.count[i]++
	for j, v := range scores {
		g.sums[i][j] += v
	}
	return i, false, true
}

// mean returns group i's mean vector.
func (g *groupSums) mean(i int) []float64 {
	n := float64(g.count[i])
	m := make([]float64, len(g.sums[i]))
	for j, s := range g.sums[i] {
		m[j] = s / n
	}
	return m
}
