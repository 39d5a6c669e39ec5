/* The scan box's camera: reads a QR label with BarcodeDetector, or jsQR where there is none,
   then opens what the label names through the scan box (the server resolves URL, id or serial). */
(function () {
  "use strict";
  var session = null; // {stream, video, timer, detector, canvas}

  function $(id) { return document.getElementById(id); }

  function status(text) {
    var el = $("scan-status");
    if (el) { el.textContent = text; }
  }

  function loadDecoder(src) {
    if (window.jsQR) { return Promise.resolve(); }
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("the QR decoder did not load")); };
      document.head.appendChild(script);
    });
  }

  function nativeDetector() {
    if (!("BarcodeDetector" in window)) { return Promise.resolve(null); }
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      return formats.indexOf("qr_code") >= 0 ? new window.BarcodeDetector({formats: ["qr_code"]}) : null;
    }, function () { return null; });
  }

  function stop() {
    if (!session) { return; }
    window.clearTimeout(session.timer);
    session.stream.getTracks().forEach(function (track) { track.stop(); });
    session.video.srcObject = null;
    session = null;
    var view = $("scan-view");
    if (view) { view.hidden = true; }
  }

  function found(text) {
    var form = $("scan-form");
    var input = $("go");
    stop();
    if (!form || !input) { return; }
    input.value = text;
    status("Opening " + text);
    window.location.assign(form.action + "?q=" + encodeURIComponent(text));
  }

  function withJsQR(video) {
    var canvas = session.canvas || (session.canvas = document.createElement("canvas"));
    var width = video.videoWidth, height = video.videoHeight;
    if (!width || !height) { return null; }
    canvas.width = width;
    canvas.height = height;
    var context = canvas.getContext("2d", {willReadFrequently: true});
    context.drawImage(video, 0, 0, width, height);
    var image = context.getImageData(0, 0, width, height);
    var code = window.jsQR(image.data, width, height, {inversionAttempts: "dontInvert"});
    return code && code.data ? code.data : null;
  }

  function tick() {
    if (!session) { return; }
    var current = session;
    var next = function () { if (session === current) { current.timer = window.setTimeout(tick, 150); } };
    if (current.video.readyState < 2) { next(); return; }
    if (current.detector) {
      current.detector.detect(current.video).then(function (codes) {
        if (codes.length && codes[0].rawValue) { found(codes[0].rawValue); } else { next(); }
      }, next);
      return;
    }
    var text = withJsQR(current.video);
    if (text) { found(text); } else { next(); }
  }

  function start(button) {
    if (session) { return; }
    var view = $("scan-view"), video = $("scan-video");
    if (!view || !video) { return; }
    view.hidden = false;
    status("Starting the camera…");
    var constraints = {video: {facingMode: "environment"}, audio: false};
    Promise.all([navigator.mediaDevices.getUserMedia(constraints), nativeDetector()])
      .then(function (got) {
        var stream = got[0], detector = got[1];
        session = {stream: stream, video: video, timer: 0, detector: detector, canvas: null};
        video.srcObject = stream;
        var ready = detector ? Promise.resolve() : loadDecoder(button.getAttribute("data-decoder"));
        return Promise.all([ready, video.play()]);
      })
      .then(function () {
        status("Point the camera at a QR label.");
        tick();
      })
      .catch(function (error) {
        stop();
        var view2 = $("scan-view");
        if (view2) { view2.hidden = false; }
        status("The camera could not start: " + (error && error.message ? error.message : error) +
          ". Type the id or serial instead.");
      });
  }

  function show() {
    var button = $("scan-camera");
    if (button && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
      button.hidden = false;
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) { return; }
    var camera = target.closest("[data-scan-camera]");
    if (camera) { event.preventDefault(); start(camera); return; }
    if (target.closest("[data-scan-stop]")) { event.preventDefault(); stop(); }
  });
  document.addEventListener("DOMContentLoaded", show);
  document.addEventListener("htmx:afterSettle", show);
  document.addEventListener("htmx:beforeRequest", stop);
  window.addEventListener("pagehide", stop);
}());
