/* ccbox click-to-call SDK (PC 端点击呼出): the cloud contact center's Web SDK surface (window.tccc) served by
 * the box. Include it with
 *   <script src="https://<box>/sdk/tccc.js" crossorigin="anonymous" data-sdk-app-id="<box ID>"></script>
 * It embeds the box's call bar (/sdk/frame) — visible at the bottom right, or hidden with
 * data-hide-call-bar="true" — and talks to it by postMessage, only with the box's origin. The agent works with
 * their workbench session on the box; the business page's origin must be allowed in 通用设置 › 来电弹屏. */
(function () {
  'use strict';
  if (window.tccc && window.tccc.__ccbox) return;
  var script = document.currentScript;
  var src = script && script.src ? script.src : '';
  var boxOrigin;
  try {
    boxOrigin = new URL(src, location.href).origin;
  } catch (e) {
    console.error('tccc: cannot tell the box address from the script URL');
    return;
  }
  var data = (script && script.dataset) || {};
  var hidden = data.hideCallBar === 'true' || data.hideCallBar === '';
  var SOURCE = 'ccbox-sdk';
  var TIMEOUT_MS = 30000;
  var handlers = {};
  var pending = {};
  var seq = 0;
  var readyData = null;
  var queue = [];
  var frame = null;

  var events = {
    ready: 'ready', callIn: 'callIn', callOuted: 'callOuted', userAccessed: 'userAccessed', sessionEnded: 'sessionEnded',
    statusChanged: 'statusChanged', tokenExpired: 'tokenExpired',
  };

  function emit(name, payload) {
    var list = (handlers[name] || []).slice();
    for (var i = 0; i < list.length; i++) {
      try {
        list[i]({ type: name, data: payload || {} });
      } catch (err) {
        console.error('tccc: ' + name + ' handler failed', err);
      }
    }
  }

  function send(msg) {
    if (frame && readyData) frame.contentWindow.postMessage(msg, boxOrigin);
    else queue.push(msg);
  }

  /** One SDK method: resolves {status: 'success', data}, rejects {status: 'error', errorMsg} like the cloud SDK. */
  function call(method, params) {
    return new Promise(function (resolve, reject) {
      var id = ++seq;
      var timer = setTimeout(function () {
        delete pending[id];
        reject({ status: 'error', errorMsg: method + ': no answer from the box within ' + TIMEOUT_MS / 1000 + ' s' });
      }, TIMEOUT_MS);
      pending[id] = { resolve: resolve, reject: reject, timer: timer };
      send({ source: SOURCE, id: id, method: method, params: params || {} });
    });
  }

  window.addEventListener('message', function (e) {
    if (!frame || e.source !== frame.contentWindow || e.origin !== boxOrigin) return;
    var m = e.data;
    if (!m || m.source !== SOURCE) return;
    if (m.id !== undefined && pending[m.id]) {
      var p = pending[m.id];
      delete pending[m.id];
      clearTimeout(p.timer);
      if (m.ok) p.resolve({ status: 'success', data: m.data || {} });
      else p.reject({ status: 'error', errorMsg: m.errorMsg || 'failed' });
      return;
    }
    if (typeof m.event !== 'string') return;
    if (m.event === 'ready') {
      readyData = m.data || {};
      if (data.sdkAppId && readyData.sdkAppId && String(data.sdkAppId) !== String(readyData.sdkAppId)) {
        console.warn('tccc: data-sdk-app-id ' + data.sdkAppId + ' is not this box (' + readyData.sdkAppId + ')');
      }
      var q = queue.splice(0);
      for (var i = 0; i < q.length; i++) frame.contentWindow.postMessage(q[i], boxOrigin);
    }
    if (m.event === 'tokenExpired') {
      // Not logged in on the box: what waits for the bar will not be answered.
      var ids = Object.keys(pending);
      queue.splice(0);
      for (var j = 0; j < ids.length; j++) {
        clearTimeout(pending[ids[j]].timer);
        pending[ids[j]].reject({ status: 'error', errorMsg: (m.data && m.data.errorMsg) || 'not logged in' });
        delete pending[ids[j]];
      }
    }
    emit(m.event, m.data);
  });

  function mount() {
    frame = document.createElement('iframe');
    var q = '?origin=' + encodeURIComponent(location.origin) + (data.sdkAppId ? '&sdkAppId=' + encodeURIComponent(data.sdkAppId) : '');
    frame.src = boxOrigin + '/sdk/frame' + q;
    frame.title = 'ccbox';
    frame.setAttribute('allow', 'microphone; autoplay');
    frame.setAttribute('data-ccbox-sdk', '');
    frame.style.cssText = hidden
      ? 'position:fixed;width:1px;height:1px;right:0;bottom:0;opacity:0;border:0;pointer-events:none;'
      : 'position:fixed;right:16px;bottom:16px;width:340px;height:520px;border:1px solid #cdd4df;border-radius:8px;'
        + 'box-shadow:0 12px 32px rgba(16,24,40,.18);background:#f3f5f8;z-index:2147483000;';
    document.body.appendChild(frame);
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);

  function m(name) {
    return function (options) { return call(name, options); };
  }

  window.tccc = {
    __ccbox: true,
    events: events,
    sdkAppId: data.sdkAppId || null,
    on: function (name, fn) {
      (handlers[name] = handlers[name] || []).push(fn);
      // A ready listener added after the bar came up still hears it.
      if (name === events.ready && readyData) setTimeout(function () { fn({ type: name, data: readyData }); }, 0);
    },
    off: function (name, fn) {
      handlers[name] = (handlers[name] || []).filter(function (h) { return h !== fn; });
    },
    Call: {
      startOutboundCall: m('Call.startOutboundCall'),
      accept: m('Call.accept'),
      hungUp: m('Call.hungUp'),
      muteMic: m('Call.muteMic'),
      unmuteMic: m('Call.unmuteMic'),
      hold: m('Call.hold'),
      unHold: m('Call.unHold'),
      transfer: m('Call.transfer'),
      sendDigits: m('Call.sendDigits'),
      deleteCall: m('Call.deleteCall'),
    },
    Agent: {
      setStatus: m('Agent.setStatus'),
      online: m('Agent.online'),
      offline: m('Agent.offline'),
    },
    UI: {
      show: function () { if (frame) { hidden = false; frame.style.opacity = '1'; frame.style.pointerEvents = 'auto'; frame.style.width = '340px'; frame.style.height = '520px'; } },
      hide: function () { if (frame) { hidden = true; frame.style.opacity = '0'; frame.style.pointerEvents = 'none'; frame.style.width = '1px'; frame.style.height = '1px'; } },
    },
  };
})();
