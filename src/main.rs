//! Entry point of the web app: mount [`bsa_studio::App`] on the page.
fn main() {
    bsa_studio::start();
}
