console.log("copy statics: nothing yet")
