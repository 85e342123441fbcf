//! The root README's sequence diagram is drawn from the ping_pong example: this test draws
//! it again and fails if the README's copy differs (`UPDATE_DIAGRAMS=1` rewrites it).
//! Elixir: `:et_viewer` on a trace of the same game

#[allow(dead_code)]
#[path = "../examples/ping_pong.rs"]
mod ping_pong;

use otp_core::{testing::assert_diagram_in_readme, trace};

#[test]
fn the_readme_shows_the_ping_pong_diagram() {
    let diagram = trace::diagram(ping_pong::play);
    let readme = concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md");
    assert_diagram_in_readme(readme, "ping_pong", &diagram);
}
