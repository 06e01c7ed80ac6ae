#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "fixtures.hpp"

// Adds --fixture-dir: where tests write files that the WebAssembly tests read back.
int main(int argc, char* argv[]) {
    Catch::Session session;
    using namespace Catch::clara;
    auto cli = session.cli() |
               Opt(bplab_test::fixture_dir(), "dir")["--fixture-dir"]("where to write cross-build fixtures");
    session.cli(cli);
    if (const int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
    return session.run();
}
