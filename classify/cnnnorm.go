package classify

// Normalisations of the cnn learner's blocks (CNNOptions.Norm; ecg train
// --cnn-norm), between each convolution and its ReLU.
const (
	// CNNNormNone is no normalisation.
	CNNNormNone = "none"
	// CNNNormGroup is group normalisation (nn.GroupNorm) of
	// cnnNormGroups groups, or fewer to divide every block's filters.
	CNNNormGroup = "group"
	// CNNNormLayer is layer normalisation: group normalisation of one
	// group, all the block's channels and time steps.
	CNNNormLayer = "layer"
)

// cnnNormGroups are the groups of CNNNormGroup: of the temporal
// network's 32 and 64 filters, 4 and 8 channels a group; the 2-D
// network's 8, 16 and 32 filters are split in half as many (2, 4 and 8
// channels a group).
const (
	cnnNormGroups   = 8
	cnnNormGroups2D = 4
)

// checkNorm checks CNNOptions.Norm.
func checkNorm(n string) error {
	switch n {
	case "", CNNNormNone, CNNNormGroup, CNNNormLayer:
		return nil
	}
	return &OptionError{"cnn-norm", n, CNNNormNone + ", " + CNNNormGroup + " or " + CNNNormLayer}
}

// normGroups returns the nn.Arch.GroupNorm of o (with defaults): 0
// without a normalisation, 1 for CNNNormLayer, and for CNNNormGroup the
// most groups up to cnnNormGroups (cnnNormGroups2D for the 2-D network)
// that divide every block's filters.
func normGroups(o CNNOptions) int {
	switch o.Norm {
	case CNNNormLayer:
		return 1
	case CNNNormGroup:
	default:
		return 0
	}
	g := cnnNormGroups
	if o.Arch != CNNArchTemporal {
		g = cnnNormGroups2D
	}
	for ; g > 1; g-- {
		if dividesAll(g, o.Filters) {
			break
		}
	}
	return g
}

// dividesAll reports whether g divides every value of fs.
func dividesAll(g int, fs []int) bool {
	for _, f := range fs {
		if f%g != 0 {
			return false
		}
	}
	return true
}
