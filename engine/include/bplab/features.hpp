#pragma once
// TensorFlow Playground's input features of a point (x1, x2).
#include <cmath>
#include <vector>

#include "bplab/names.hpp"

namespace bplab {

enum class Feature { x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2 };

inline constexpr NameTable<Feature, 7> feature_names{{
    {"x1", Feature::x1},
    {"x2", Feature::x2},
    {"x1sq", Feature::x1sq},
    {"x2sq", Feature::x2sq},
    {"x1x2", Feature::x1x2},
    {"sinx1", Feature::sinx1},
    {"sinx2", Feature::sinx2},
}};

inline double feature_value(Feature f, double x1, double x2) {
    switch (f) {
        case Feature::x1: return x1;
        case Feature::x2: return x2;
        case Feature::x1sq: return x1 * x1;
        case Feature::x2sq: return x2 * x2;
        case Feature::x1x2: return x1 * x2;
        case Feature::sinx1: return std::sin(x1);
        case Feature::sinx2: return std::sin(x2);
    }
    return 0.0;
}

// The feature vector of one point, into out[0..features.size()).
inline void compute_features(const std::vector<Feature>& features, double x1, double x2,
                             double* out) {
    for (std::size_t k = 0; k < features.size(); ++k) out[k] = feature_value(features[k], x1, x2);
}

}  // namespace bplab
