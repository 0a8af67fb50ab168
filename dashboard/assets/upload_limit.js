/* The upload page: the drop zone refuses a file over the browser limit without a word, so say so. */
(function () {
    function check(event) {
        var zone = event.target && event.target.closest ? event.target.closest("[data-max-bytes]") : null;
        var note = document.getElementById("upload-too-large");
        if (!zone || !note || !window.dash_clientside || !window.dash_clientside.set_props) {
            return;
        }
        var files = (event.dataTransfer && event.dataTransfer.files) || event.target.files || [];
        var limit = Number(zone.getAttribute("data-max-bytes"));
        var tooLarge = Array.prototype.some.call(files, function (file) { return file.size > limit; });
        var message = tooLarge ? note.getAttribute("data-message") : null;
        window.dash_clientside.set_props("upload-too-large", {children: message, className: tooLarge ? "notice notice-error" : ""});
    }
    document.addEventListener("drop", check, true);
    document.addEventListener("change", check, true);
})();
