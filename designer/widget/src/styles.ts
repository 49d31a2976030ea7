// The widget's whole style sheet. It lives inside a shadow root, so the host page's CSS cannot reach
// it and ours cannot leak out. `--tc` is the website's colour (already checked by safeColor).
export const STYLES = `
:host{all:initial}
*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.root{position:fixed;bottom:20px;z-index:2147483000;font-size:14px;line-height:1.4;color:#1f2937}
.root.right{right:20px}.root.left{left:20px}
button{font:inherit;cursor:pointer}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.launcher{width:56px;height:56px;border-radius:50%;border:0;background:var(--tc);color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center}
.launcher svg{width:28px;height:28px;fill:currentColor}
.panel{position:absolute;bottom:70px;width:360px;max-width:calc(100vw - 40px);height:520px;max-height:calc(100vh - 100px);background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden}
.right .panel{right:0}.left .panel{left:0}
.panel[hidden]{display:none}
.head{background:var(--tc);color:#fff;padding:12px 14px;display:flex;align-items:center;gap:8px}
.head h2{font-size:16px;margin:0;flex:1;font-weight:600}
.head .status{font-size:12px;opacity:.9;display:block;font-weight:400}
.icon{background:transparent;border:0;color:#fff;font-size:18px;width:32px;height:32px;border-radius:6px}
.icon:hover{background:rgba(255,255,255,.2)}
.body{flex:1;overflow-y:auto;padding:12px;background:#f9fafb}
.greet{margin:0 0 10px;color:#374151}
form{display:flex;flex-direction:column;gap:8px}
label{font-size:13px;font-weight:600;color:#374151;display:flex;flex-direction:column;gap:3px}
input,textarea{font:inherit;border:1px solid #9ca3af;border-radius:6px;padding:7px 9px;color:#111827;background:#fff;width:100%}
textarea{resize:none}
input[aria-invalid=true],textarea[aria-invalid=true]{border-color:#b91c1c}
.ferr{color:#b91c1c;font-size:12px;font-weight:400}
.primary{background:var(--tc);color:#fff;border:0;border-radius:6px;padding:8px 12px;font-weight:600}
.msgs{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:8px}
.msg{max-width:85%;padding:8px 10px;border-radius:10px;white-space:pre-wrap;word-wrap:break-word;background:#fff;border:1px solid #e5e7eb;align-self:flex-start}
.msg.visitor{align-self:flex-end;background:var(--tc);color:#fff;border-color:transparent}
.msg.system{align-self:center;background:transparent;border:0;color:#6b7280;font-size:12px;text-align:center}
.msg .who{display:block;font-size:11px;opacity:.75;margin-bottom:2px}
.msg a{color:inherit}
.qr{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
.qr button{border:1px solid var(--tc);color:var(--tc);background:#fff;border-radius:14px;padding:4px 10px}
.qr button:disabled{opacity:.5;cursor:default}
.typing{font-size:12px;color:#6b7280;padding:2px 12px;min-height:20px;background:#f9fafb}
.compose{display:flex;gap:6px;padding:8px;border-top:1px solid #e5e7eb;align-items:flex-end}
.compose textarea{flex:1;height:40px}
.attach{border:1px solid #d1d5db;background:#fff;border-radius:6px;width:40px;height:40px;color:#374151;display:flex;align-items:center;justify-content:center}
.attach svg{width:20px;height:20px;fill:currentColor}
.err{color:#b91c1c;background:#fef2f2;padding:6px 12px;font-size:13px;border-top:1px solid #fecaca}
.err[hidden]{display:none}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
