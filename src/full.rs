//! Entry point of the full app's module: it waits for the app shell to call `take_over`
//! (see `bsa_studio::services::full_app`).
fn main() {
    bsa_studio::start_full_module();
}
