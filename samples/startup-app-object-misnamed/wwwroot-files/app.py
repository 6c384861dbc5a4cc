import os

from flask import Flask, render_template

application = Flask(__name__)
application.config["ORDERS_API"] = os.environ.get("ORDERS_API", "http://localhost:5001")


@application.route("/")
def index():
    return render_template("index.html")


if __name__ == "__main__":
    application.run(debug=True)
