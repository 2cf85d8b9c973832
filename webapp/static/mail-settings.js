// Settings › Notifications: choosing a security mode moves the port to its usual number,
// unless the user typed another port.
(function () {
  var ports = { none: "25", starttls: "587", tls: "465" };
  var security = document.getElementById("f-security");
  var port = document.getElementById("f-port");
  if (!security || !port) return;
  security.addEventListener("change", function () {
    var usual = Object.keys(ports).map(function (k) { return ports[k]; });
    if (port.value === "" || usual.indexOf(port.value) !== -1) port.value = ports[security.value];
  });
})();
