package classify

import "context"

// CrossValidateVectors is CrossValidateDataset on feature vectors already
// made with spec (X, label indexes y into labels, and the record group of
// every row): the same folds, per-fold and pooled evaluation and, with
// opt.Final, the same model trained on every row, without featurising
// again (opt.Spec, Cache and Jobs are not used). Source is left empty.
func CrossValidateVectors(ctx context.Context, labels []string, spec FeatureSpec, X [][]float64, y []int, groups []string, opt CVOptions) (*CVResult, error) {
	plan, err := planCV(labels, y, groups, opt)
	if err != nil {
		return nil, err
	}
	return crossValidateRows(ctx, labels, spec, X, y, groups, plan, opt)
}
