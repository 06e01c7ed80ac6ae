#include <catch2/catch.hpp>

#include "bplab/activations.hpp"

using namespace bplab;

TEST_CASE("sigmoid' peaks at 0.25 at z = 0: the seed of vanishing gradients") {
    const ActivationSpec f{Activation::sigmoid};
    const double a0 = activate(f, 0.0);
    CHECK(local_gradient(f, 0.0, a0) == Approx(0.25).epsilon(1e-15));
    for (double z : {-6.0, -2.0, -0.5, 0.5, 2.0, 6.0})
        CHECK(local_gradient(f, z, activate(f, z)) < 0.25);
}
