// Package tune searches the hyperparameters of ecg train's learners: a
// space of integer, continuous (linear or logarithmic) and categorical
// parameters (Space, from --param NAME=RANGE or a JSON or YAML file), a
// strategy that proposes trials (random, grid, or Bayesian optimisation
// with a tree-structured Parzen estimator written here), and an objective
// measured by record-grouped K-fold cross-validation on feature vectors
// computed once per file and shared by every trial.
//
// Trials are written as they finish to DIR/trials.jsonl (appended, the
// record a rerun resumes from) and DIR/trials.csv (rewritten atomically),
// so that an interrupted search continues where it stopped and gives the
// same trials as an uninterrupted one. Several machines can run shards of
// one search (Options.Shard) and Merge combines their trials.
package tune
