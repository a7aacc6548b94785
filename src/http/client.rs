//! Who the client is, and the per-client bound on creating challengers.
//!
//! The accept loop puts each connection's peer address on its requests
//! (`PeerAddr`). `client_ip` turns it into the address limits are counted against:
//! the peer itself, or, only when the server is told it sits behind a proxy, the
//! address that proxy reports. Trusting those headers otherwise would let any client
//! pick its own address.
//!
//! `CreationLimit` allows each client `limit` new challengers per 10-minute window,
//! counted from the first creation of the window. IPv6 clients are counted per /64,
//! the block one subscriber is normally given. The table is bounded: when it is full,
//! expired windows are dropped, then the oldest window.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use hyper::HeaderMap;
use parking_lot::Mutex;

use crate::learners::clock::Clock;

/// The connection's peer, as a request extension.
#[derive(Clone, Copy, Debug)]
pub struct PeerAddr(pub SocketAddr);

/// The length of a creation window.
pub const CREATION_WINDOW_MS: u64 = 10 * 60 * 1000;
/// Most clients tracked at once (about 40 bytes each).
pub const MAX_TRACKED_CLIENTS: usize = 65_536;

/// The address a request counts against. With `trust_proxy`, `Fly-Client-IP` (set by
/// Fly.io's proxy), else the last `X-Forwarded-For` entry (the one the proxy in front
/// of us added; entries before it are whatever the client sent), else the peer.
pub fn client_ip(
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
    trust_proxy: bool,
) -> Option<IpAddr> {
    if trust_proxy {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let fly = header("fly-client-ip").and_then(|v| v.trim().parse().ok());
        let forwarded = || {
            headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .next_back()
                .and_then(|v| v.trim().parse().ok())
        };
        if let Some(ip) = fly.or_else(forwarded) {
            return Some(ip);
        }
    }
    peer.map(|p| p.ip())
}

/// What a client's creations are counted under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum ClientKey {
    V4([u8; 4]),
    /// The first 64 bits.
    V6(u64),
}

impl ClientKey {
    fn of(ip: IpAddr) -> ClientKey {
        match ip {
            IpAddr::V4(v4) => ClientKey::V4(v4.octets()),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientKey::V4(v4.octets()),
                None => ClientKey::V6(prefix64(&v6)),
            },
        }
    }
}

fn prefix64(ip: &Ipv6Addr) -> u64 {
    (u128::from_be_bytes(ip.octets()) >> 64) as u64
}

#[derive(Clone, Copy)]
struct Window {
    started_ms: u64,
    count: u32,
}

/// The per-client creation bound. A limit of 0 turns it off.
pub struct CreationLimit {
    limit: u32,
    clock: Arc<dyn Clock>,
    max_clients: usize,
    windows: Mutex<HashMap<ClientKey, Window>>,
}

impl CreationLimit {
    pub fn new(limit: usize, clock: Arc<dyn Clock>) -> CreationLimit {
        CreationLimit::with_capacity(limit, clock, MAX_TRACKED_CLIENTS)
    }

    pub fn with_capacity(limit: usize, clock: Arc<dyn Clock>, max_clients: usize) -> CreationLimit {
        CreationLimit {
            limit: u32::try_from(limit).unwrap_or(u32::MAX),
            clock,
            max_clients: max_clients.max(1),
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Count one creation for `client`; `Err(seconds)` when its window is used up, with
    /// the seconds until it ends (for `Retry-After`). A request with no known client
    /// is not counted.
    pub fn try_create(&self, client: Option<IpAddr>) -> Result<(), u64> {
        let Some(ip) = client.filter(|_| self.limit > 0) else {
            return Ok(());
        };
        let key = ClientKey::of(ip);
        let now = self.clock.now_ms();
        let mut windows = self.windows.lock();
        if !windows.contains_key(&key) && windows.len() >= self.max_clients {
            make_room(&mut windows, now);
        }
        let window = windows.entry(key).or_insert(Window {
            started_ms: now,
            count: 0,
        });
        if now.saturating_sub(window.started_ms) >= CREATION_WINDOW_MS {
            *window = Window {
                started_ms: now,
                count: 0,
            };
        }
        if window.count >= self.limit {
            let ends = window.started_ms + CREATION_WINDOW_MS;
            return Err(ends.saturating_sub(now).div_ceil(1000).max(1));
        }
        window.count += 1;
        Ok(())
    }

    /// Clients tracked now.
    pub fn tracked(&self) -> usize {
        self.windows.lock().len()
    }
}

/// Drop expired windows; if none had expired, the oldest one.
fn make_room(windows: &mut HashMap<ClientKey, Window>, now: u64) {
    let before = windows.len();
    windows.retain(|_, w| now.saturating_sub(w.started_ms) < CREATION_WINDOW_MS);
    if windows.len() < before {
        return;
    }
    let oldest = windows
        .iter()
        .min_by_key(|(_, w)| w.started_ms)
        .map(|(k, _)| *k);
    if let Some(key) = oldest {
        windows.remove(&key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learners::clock::ManualClock;

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    #[test]
    fn each_client_gets_its_limit_per_window() {
        let clock = Arc::new(ManualClock::default());
        let limit = CreationLimit::new(3, clock.clone());
        for _ in 0..3 {
            assert_eq!(limit.try_create(ip("10.0.0.1")), Ok(()));
        }
        assert_eq!(limit.try_create(ip("10.0.0.1")), Err(600));
        assert_eq!(limit.try_create(ip("10.0.0.2")), Ok(()), "another client");
        clock.advance_ms(CREATION_WINDOW_MS - 1_500);
        assert_eq!(limit.try_create(ip("10.0.0.1")), Err(2));
        clock.advance_ms(1_500);
        assert_eq!(limit.try_create(ip("10.0.0.1")), Ok(()), "a new window");
    }

    #[test]
    fn zero_is_no_limit_and_unknown_clients_are_not_counted() {
        let clock = Arc::new(ManualClock::default());
        let off = CreationLimit::new(0, clock.clone());
        for _ in 0..1000 {
            assert_eq!(off.try_create(ip("10.0.0.1")), Ok(()));
        }
        assert_eq!(off.tracked(), 0);
        let on = CreationLimit::new(1, clock);
        assert_eq!(on.try_create(None), Ok(()));
        assert_eq!(on.try_create(None), Ok(()));
    }

    #[test]
    fn ipv6_clients_count_per_64_and_mapped_v4_as_v4() {
        let clock = Arc::new(ManualClock::default());
        let limit = CreationLimit::new(1, clock);
        assert_eq!(limit.try_create(ip("2001:db8:1:2::1")), Ok(()));
        assert!(limit.try_create(ip("2001:db8:1:2:ffff::9")).is_err());
        assert_eq!(limit.try_create(ip("2001:db8:1:3::1")), Ok(()));
        assert_eq!(limit.try_create(ip("192.0.2.7")), Ok(()));
        assert!(limit.try_create(ip("::ffff:192.0.2.7")).is_err());
    }

    #[test]
    fn the_table_stays_bounded() {
        let clock = Arc::new(ManualClock::default());
        let limit = CreationLimit::with_capacity(1, clock.clone(), 100);
        for n in 0..10_000u32 {
            let addr = IpAddr::from(n.to_be_bytes());
            assert_eq!(limit.try_create(Some(addr)), Ok(()));
            clock.advance_ms(1);
        }
        assert!(limit.tracked() <= 100);
    }

    #[test]
    fn proxy_headers_count_only_when_trusted() {
        let peer: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "198.51.100.1, 203.0.113.9".parse().unwrap(),
        );
        assert_eq!(client_ip(&headers, Some(peer), false), ip("127.0.0.1"));
        assert_eq!(client_ip(&headers, Some(peer), true), ip("203.0.113.9"));
        headers.insert("fly-client-ip", "192.0.2.44".parse().unwrap());
        assert_eq!(client_ip(&headers, Some(peer), true), ip("192.0.2.44"));
        headers.insert("fly-client-ip", "not an address".parse().unwrap());
        assert_eq!(client_ip(&headers, Some(peer), true), ip("203.0.113.9"));
        assert_eq!(
            client_ip(&HeaderMap::new(), Some(peer), true),
            ip("127.0.0.1")
        );
    }
}
