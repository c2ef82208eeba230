package tune

import (
	"fmt"
	"strconv"

	"github.com/ecgkit/ecg/classify"
)

// Settings are what a trial trains with: the learner (classify.LearnerForest
// or classify.LearnerGBDT) and both learners' options, and the signal
// feature set (0: the dataset's default spec's).
type Settings struct {
	Learner    string
	Forest     classify.ForestOptions
	GBDT       classify.GBDTOptions
	FeatureSet int
}

// Apply returns base with the values of pt set; the learner named by the
// settings must accept them (classify's Validate).
func (s Space) Apply(base Settings, pt Point) (Settings, error) {
	out := base
	for i, p := range s {
		v := p.Format(pt[i])
		if err := out.set(p.Name, v); err != nil {
			return out, err
		}
	}
	var err error
	if out.Learner == classify.LearnerGBDT {
		err = out.GBDT.Validate()
	} else {
		err = out.Forest.Validate()
	}
	return out, err
}

// set sets the hyperparameter name to the text v.
func (st *Settings) set(name, v string) error {
	if name == "learner" || name == "class-weight" {
		switch {
		case name == "class-weight":
			st.Forest.ClassWeight, st.GBDT.ClassWeight = v, v
		case v == "gbdt":
			st.Learner = classify.LearnerGBDT
		default:
			st.Learner = classify.LearnerForest
		}
		return nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return fmt.Errorf("%s: %q is not a number", name, v)
	}
	n := int(f)
	switch name {
	case "trees":
		st.Forest.Trees = n
	case "max-depth":
		st.Forest.MaxDepth, st.GBDT.MaxDepth = n, n
	case "min-leaf":
		st.Forest.MinLeaf = n
	case "max-features":
		st.Forest.MaxFeatures = n
	case "bins":
		st.Forest.Bins, st.GBDT.Bins = n, n
	case "feature-set":
		st.FeatureSet = n
	case "rounds":
		st.GBDT.Rounds = n
	case "learning-rate":
		st.GBDT.LearningRate = f
	case "subsample":
		st.GBDT.Subsample = f
	case "colsample":
		st.GBDT.ColSample = f
	case "lambda":
		st.GBDT.Lambda = f
	case "min-hessian":
		st.GBDT.MinHessian = f
	default:
		return fmt.Errorf("unknown parameter %q", name)
	}
	return nil
}

// The parameters of one learner only (the others set both or neither).
var (
	forestOnly = map[string]bool{"trees": true, "min-leaf": true, "max-features": true}
	gbdtOnly   = map[string]bool{"rounds": true, "learning-rate": true, "subsample": true, "colsample": true, "lambda": true, "min-hessian": true}
)

// TrainFlags returns the ecg train flags that give settings st for the
// parameters of s.
func (s Space) TrainFlags(st Settings) []string {
	var out []string
	if st.Learner == classify.LearnerGBDT {
		out = append(out, "--learner", "gbdt")
	} else {
		out = append(out, "--learner", "forest")
	}
	gbdt := st.Learner == classify.LearnerGBDT
	for _, p := range s {
		if (gbdt && forestOnly[p.Name]) || (!gbdt && gbdtOnly[p.Name]) {
			continue // ecg train refuses the other learner's flags
		}
		var v string
		switch p.Name {
		case "trees":
			v = strconv.Itoa(st.Forest.Trees)
		case "max-depth":
			v = strconv.Itoa(st.Forest.MaxDepth)
			if st.Learner == classify.LearnerGBDT {
				v = strconv.Itoa(st.GBDT.MaxDepth)
			}
		case "min-leaf":
			v = strconv.Itoa(st.Forest.MinLeaf)
		case "max-features":
			v = strconv.Itoa(st.Forest.MaxFeatures)
		case "class-weight":
			v = st.Forest.ClassWeight
		case "rounds":
			v = strconv.Itoa(st.GBDT.Rounds)
		case "learning-rate":
			v = strconv.FormatFloat(st.GBDT.LearningRate, 'g', -1, 64)
		case "subsample":
			v = strconv.FormatFloat(st.GBDT.Subsample, 'g', -1, 64)
		case "colsample":
			v = strconv.FormatFloat(st.GBDT.ColSample, 'g', -1, 64)
		case "lambda":
			v = strconv.FormatFloat(st.GBDT.Lambda, 'g', -1, 64)
		case "min-hessian":
			v = strconv.FormatFloat(st.GBDT.MinHessian, 'g', -1, 64)
		case "bins":
			v = strconv.Itoa(st.Forest.Bins)
			if gbdt {
				v = strconv.Itoa(st.GBDT.Bins)
			}
		case "feature-set":
			v = strconv.Itoa(st.FeatureSet)
		default:
			continue
		}
		out = append(out, "--"+p.Name, v)
	}
	return out
}

// CheckLearner checks that every parameter of s is one the learner
// (classify.LearnerForest or classify.LearnerGBDT) has, unless s also
// searches the learner.
func (s Space) CheckLearner(learner string) error {
	for _, p := range s {
		if p.Name == "learner" {
			return nil
		}
	}
	for _, p := range s {
		switch {
		case learner == classify.LearnerGBDT && forestOnly[p.Name]:
			return fmt.Errorf("parameter %s is the forest's, but the learner is gbdt (give --learner forest)", p.Name)
		case learner != classify.LearnerGBDT && gbdtOnly[p.Name]:
			return fmt.Errorf("parameter %s is gbdt's, but the learner is the forest (give --learner gbdt)", p.Name)
		}
	}
	return nil
}
