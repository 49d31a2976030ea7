// The client address the login limits count by: the TCP peer, X-Forwarded-For only behind a
// configured trusted proxy, IPv6 per /64.
import { expect } from 'chai';
import { addressKey, clientAddress } from '../../server/http/client-address.ts';
import { ConfigError, loadConfig, trustedProxyList } from '../../server/config.ts';

describe('client address', () => {
  const proxies = trustedProxyList(['10.0.0.5', '192.168.1.0/24', 'fd00::/8']);

  it('is the peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1', undefined)).to.equal('203.0.113.9');
    expect(clientAddress('::ffff:203.0.113.9', '198.51.100.1', undefined)).to.equal('203.0.113.9');
    expect(clientAddress('203.0.113.9', '198.51.100.1', proxies)).to.equal('203.0.113.9');
  });

  it('behind a trusted proxy, is the rightmost hop that is not a trusted proxy', () => {
    expect(clientAddress('10.0.0.5', '198.51.100.1', proxies)).to.equal('198.51.100.1');
    // The client wrote the first entry itself: only what the proxies appended counts.
    expect(clientAddress('10.0.0.5', '1.2.3.4, 198.51.100.1, 192.168.1.7', proxies)).to.equal('198.51.100.1');
    expect(clientAddress('fd00::1', ['1.2.3.4', '2001:db8::7'], proxies)).to.equal('2001:db8::7');
    // Garbage or only proxies: the proxy itself stands for the client.
    expect(clientAddress('10.0.0.5', 'garbage', proxies)).to.equal('10.0.0.5');
    expect(clientAddress('10.0.0.5', '192.168.1.2', proxies)).to.equal('10.0.0.5');
    expect(clientAddress('10.0.0.5', undefined, proxies)).to.equal('10.0.0.5');
  });

  it('counts IPv4 as is and IPv6 by its /64', () => {
    expect(addressKey('203.0.113.9')).to.equal('203.0.113.9');
    expect(addressKey('2001:db8:1:2::1')).to.equal('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:0:0:9')).to.equal('2001:db8:1:2::/64');
    expect(addressKey('::1')).to.equal('0:0:0:0::/64');
    expect(addressKey('')).to.equal('unknown');
  });

  it('TANDEM_TRUSTED_PROXIES is off by default and checked at start', () => {
    expect(loadConfig({}).http.trustedProxies).to.deep.equal([]);
    expect(loadConfig({ TANDEM_TRUSTED_PROXIES: '10.0.0.5, 192.168.0.0/16' }).http.trustedProxies).to.deep.equal(['10.0.0.5', '192.168.0.0/16']);
    for (const bad of ['proxy.example', '10.0.0.0/33', '10.0.0.1/8/1']) {
      expect(() => loadConfig({ TANDEM_TRUSTED_PROXIES: bad }), bad).to.throw(ConfigError, /TANDEM_TRUSTED_PROXIES/);
    }
  });
});
