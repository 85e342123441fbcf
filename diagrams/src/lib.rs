//! The sequence diagrams of the step READMEs. Each is drawn from a real run of its step's
//! code: `tests/diagrams.rs` plays every chapter's scenario under `otp_core::trace::diagram`
//! and fails, showing the difference, when a README's copy is stale;
//! `UPDATE_DIAGRAMS=1 cargo test -p readme-diagrams` writes the new ones in. The scenarios
//! live here, not in the steps, because a step's code is also the source of its exercise
//! starters, whose READMEs and behaviour differ.
//! Elixir: `:et_viewer` on a trace of each chapter · OTP: et (Event Tracer)
