using System;
using System.IO;
using System.Security.Cryptography.X509Certificates;

namespace System.Net
{
    public enum HttpStatusCode
    {
        Continue = 100,
        SwitchingProtocols = 101,
        OK = 200,
        Created = 201,
        Accepted = 202,
        NonAuthoritativeInformation = 203,
        NoContent = 204,
        ResetContent = 205,
        PartialContent = 206,
        MultipleChoices = 300,
        MovedPermanently = 301,
        Found = 302,
        SeeOther = 303,
        NotModified = 304,
        UseProxy = 305,
        TemporaryRedirect = 307,
        BadRequest = 400,
        Unauthorized = 401,
        Forbidden = 403,
        NotFound = 404,
        RequestTimeout = 408,
        InternalServerError = 500,
        NotImplemented = 501,
        BadGateway = 502,
        ServiceUnavailable = 503,
        GatewayTimeout = 504,
    }
}

namespace System.Net.Http
{
    public enum HttpCompletionOption
    {
        ResponseContentRead = 0,
        ResponseHeadersRead = 1,
    }

    public abstract class HttpMessageHandler : IDisposable
    {
        public void Dispose() => throw null!;
    }

    public class HttpMessageInvoker : IDisposable
    {
        public HttpMessageInvoker(HttpMessageHandler handler) => throw null!;

        public void Dispose() => throw null!;
    }

    public partial class HttpClient : HttpMessageInvoker
    {
        public HttpClient()
            : base(null!) => throw null!;

        public TimeSpan Timeout
        {
            get => throw null!;
            set => throw null!;
        }

        public X509Certificate HttpsAuthentCert
        {
            get => throw null!;
            set => throw null!;
        }

        public HttpResponseMessage Get(string requestUri) => throw null!;

        public HttpResponseMessage Get(string requestUri, HttpCompletionOption completionOption) => throw null!;
    }

    public class HttpResponseMessage : IDisposable
    {
        public HttpContent Content => throw null!;

        public bool IsSuccessStatusCode => throw null!;

        public HttpStatusCode StatusCode => throw null!;

        public void Dispose() => throw null!;
    }

    public abstract class HttpContent : IDisposable
    {
        public Stream ReadAsStream() => throw null!;

        public void Dispose() => throw null!;
    }
}
