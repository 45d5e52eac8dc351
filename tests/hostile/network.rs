//! Hostile servers on loopback: reason phrases with escapes, redirects to
//! other schemes, endless and dripping bodies and headers.
