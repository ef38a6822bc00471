// The AWS SDK for JavaScript v3 warns on every start under Node < 22 (its releases after the
// first week of January 2027 need Node 22: aws/aws-sdk-js-v3#7983). The project supports Node
// 20.19 for development until then (README, "Node"), so `npm start` sets the SDK's documented
// switch, unless you set it yourself (AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false
// shows the warning again). Imported first: the SDK checks when its first client is built.
// Lambda runs nodejs22.x, where the SDK has nothing to say.
const major = Number(process.versions.node.split(".")[0]);
if (major < 22) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
