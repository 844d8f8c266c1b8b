//! The overlays, one folder each: its state (what [`Overlay`] holds for it), its keys
//! (its table of bindings, how it opens and what each key does to it, as `update`
//! applies them) and its view (a pure draw function). This module is the seam: the
//! update loop hands the open overlay its keys, the footer asks it for its entries,
//! and the drawing code hands it its area.

pub mod bootstrap;
pub mod fix;
pub mod help;
pub mod purge;
pub mod quit;
pub mod run;
pub mod setup;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::action::{Action, Effect};
use super::app::App;
use super::keys::{self, FootEntry};

#[derive(Clone, Debug)]
pub enum Overlay {
    Setup(Box<setup::state::SetupWizard>),
    Bootstrap(Box<bootstrap::state::BootstrapWizard>),
    Run(run::state::RunPrompt),
    Purge(purge::state::PurgeConfirm),
    Fix(fix::state::FixAll),
    Help { scroll: u16 },
    QuitConfirm,
}

/// What an overlay's key handler wants done with the overlay.
pub enum Flow {
    Keep,
    Close,
    /// Close it, then apply this action (open another overlay, …).
    Then(Action),
}

/// A key for the open overlay, which the caller has taken out of `app` (so the
/// handler can change both); `Flow` says whether it goes back.
pub fn on_key(app: &mut App, overlay: &mut Overlay, k: KeyEvent) -> (Flow, Vec<Effect>) {
    match overlay {
        Overlay::Setup(w) => setup::keys::on_key(app, w, k),
        Overlay::Bootstrap(w) => bootstrap::keys::on_key(app, w, k),
        Overlay::Run(p) => run::keys::on_key(app, p, k),
        Overlay::Purge(p) => purge::keys::on_key(app, p, k),
        Overlay::Fix(s) => fix::keys::on_key(app, s, k),
        Overlay::Help { scroll } => help::keys::on_key(app, scroll, k),
        Overlay::QuitConfirm => quit::keys::on_key(app, k),
    }
}

/// The open overlay's footer entries (those of its bindings that apply now).
pub fn foot_entries(app: &App, overlay: &Overlay, out: &mut Vec<FootEntry>) {
    match overlay {
        Overlay::Setup(w) => keys::foot_entries(setup::keys::BINDINGS, app, w, out),
        Overlay::Bootstrap(w) => keys::foot_entries(bootstrap::keys::BINDINGS, app, w, out),
        Overlay::Run(p) => keys::foot_entries(run::keys::BINDINGS, app, p, out),
        Overlay::Purge(p) => keys::foot_entries(purge::keys::BINDINGS, app, p, out),
        Overlay::Fix(s) => keys::foot_entries(fix::keys::BINDINGS, app, s, out),
        Overlay::Help { scroll } => keys::foot_entries(help::keys::BINDINGS, app, scroll, out),
        Overlay::QuitConfirm => keys::foot_entries(quit::keys::BINDINGS, app, &(), out),
    }
}

/// Draws the open overlay into `area` (each shrinks it to its content and clears
/// under it).
pub fn draw(app: &App, overlay: &Overlay, f: &mut Frame, area: Rect) {
    match overlay {
        Overlay::Setup(w) => setup::view::draw(app, w, f, area),
        Overlay::Bootstrap(w) => bootstrap::view::draw(app, w, f, area),
        Overlay::Run(p) => run::view::draw(app, p, f, area),
        Overlay::Purge(p) => purge::view::draw(app, p, f, area),
        Overlay::Fix(s) => fix::view::draw(app, s, f, area),
        Overlay::Help { scroll } => help::view::draw(app, *scroll, f, area),
        Overlay::QuitConfirm => quit::view::draw(app, f, area),
    }
}
